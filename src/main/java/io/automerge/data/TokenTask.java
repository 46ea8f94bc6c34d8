package io.automerge.data;

import ai.djl.ndarray.NDManager;
import io.automerge.InvalidInputException;
import io.automerge.data.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A declared {@code text} or {@code completion} task: next-token loss of a causal language model
 * over token windows. For text a sample is one window of a document (its tokens with the
 * tokenizer's special tokens); for completion a sample is one prompt/completion example, whose
 * completion tokens alone are scored.
 */
public final class TokenTask implements Task {
  public static final Set<String> LOWER_IS_BETTER = Set.of("perplexity");

  private final String name;
  private final Map<Split, List<List<TokenWindow>>> samples;

  private TokenTask(String name, Map<Split, List<List<TokenWindow>>> samples) {
    this.name = name;
    this.samples = samples;
  }

  /** Text: each document encoded with special tokens and cut into windows; each window is a sample. */
  static TokenTask text(String name, Map<Split, List<DataFiles.Document>> documents, TextTokenizer tokenizer, int maxTokens) {
    Map<Split, List<List<TokenWindow>>> out = new EnumMap<>(Split.class);
    documents.forEach((split, docs) -> {
      List<List<TokenWindow>> windows = new ArrayList<>();
      for (DataFiles.Document doc : docs) {
        for (TokenWindow w : TokenWindow.cut(tokenizer.encode(doc.text(), true), 1, maxTokens)) {
          windows.add(List.of(w));
        }
      }
      out.put(split, nonEmpty(name, split, windows));
    });
    return new TokenTask(name, out);
  }

  /**
   * Completion: encode(prompt, with special tokens) + encode(completion, without); only the
   * completion's positions are scored; an example longer than {@code maxTokens} is windowed as text.
   */
  static TokenTask completion(String name, Map<Split, List<DataFiles.Line>> lines, TextTokenizer tokenizer, int maxTokens) {
    Map<Split, List<List<TokenWindow>>> out = new EnumMap<>(Split.class);
    lines.forEach((split, records) -> {
      List<List<TokenWindow>> examples = new ArrayList<>();
      for (DataFiles.Line line : records) {
        long[] prompt = tokenizer.encode(line.text("prompt"), true);
        long[] completion = tokenizer.encode(line.text("completion"), false);
        if (completion.length == 0) {
          throw new InvalidInputException(line.where() + ": field 'completion' has no tokens");
        }
        long[] all = java.util.Arrays.copyOf(prompt, prompt.length + completion.length);
        System.arraycopy(completion, 0, all, prompt.length, completion.length);
        List<TokenWindow> windows = TokenWindow.cut(all, Math.max(1, prompt.length), maxTokens);
        if (windows.isEmpty()) {
          throw new InvalidInputException(line.where() + ": no completion token can be scored (a one-token example)");
        }
        examples.add(windows);
      }
      out.put(split, nonEmpty(name, split, examples));
    });
    return new TokenTask(name, out);
  }

  private static <T> List<T> nonEmpty(String name, Split split, List<T> list) {
    if (list.isEmpty()) {
      throw new InvalidInputException("tasks." + name + "." + TaskSpec.splitField(split) + ": the " + split.label()
          + " split has nothing to score");
    }
    return List.copyOf(list);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<String> lowerIsBetter() {
    return LOWER_IS_BETTER;
  }

  @Override
  public int size(Split split) {
    return split(split).size();
  }

  @Override
  public TaskBatch batch(NDManager manager, Split split, int from, int count) {
    List<TokenWindow> rows = new ArrayList<>();
    split(split).subList(from, from + count).forEach(rows::addAll);
    return TokenWindow.batch(manager, rows, count);
  }

  @Override
  public TaskBatch randomTrainBatch(NDManager manager, Random rng, int count) {
    throw new InvalidInputException("task " + name + ": a declared task has no train split");
  }

  @Override
  public MetricAccumulator newMetrics() {
    return new TokenMetrics();
  }

  private List<List<TokenWindow>> split(Split split) {
    List<List<TokenWindow>> s = samples.get(split);
    if (s == null) {
      throw new InvalidInputException("tasks." + name + "." + TaskSpec.splitField(split) + ": not declared");
    }
    return s;
  }
}
