package io.automerge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.InvalidInputException;
import io.automerge.data.tokenizer.TextTokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A declared {@code multiple_choice} task (lm-eval's convention): each choice is scored by the
 * summed log-probability of its tokens after the question; {@code accuracy} picks the choice with
 * the highest sum (the first on ties, as numpy's argmax), {@code accuracy_norm} divides each sum
 * by the choice's length in UTF-8 bytes. The search loss is the mean cross-entropy of the correct
 * choices' tokens. A sample is one question; an example longer than {@code max_tokens} loses
 * question tokens from the left, as lm-eval truncates the context.
 *
 * <p>A batch has one row per choice. Its labels are {@code [rows, L + 3]}: the targets
 * ({@code -1} where nothing is scored), then per row the question's index in the batch, 1 for the
 * correct choice (else 0), and the choice's length in bytes.
 */
public final class MultipleChoiceTask implements Task {
  private static final int META = 3;

  private record Example(List<TokenWindow> choices, int answer, int[] choiceBytes) {}

  private final String name;
  private final Map<Split, List<Example>> examples;

  private MultipleChoiceTask(String name, Map<Split, List<Example>> examples) {
    this.name = name;
    this.examples = examples;
  }

  static MultipleChoiceTask load(String name, Map<Split, List<DataFiles.Line>> lines, TextTokenizer tokenizer, int maxTokens) {
    Map<Split, List<Example>> out = new EnumMap<>(Split.class);
    lines.forEach((split, records) -> {
      List<Example> list = new ArrayList<>();
      for (DataFiles.Line line : records) {
        list.add(example(line, tokenizer, maxTokens));
      }
      if (list.isEmpty()) {
        throw new InvalidInputException("tasks." + name + "." + TaskSpec.splitField(split) + ": the " + split.label() + " split is empty");
      }
      out.put(split, List.copyOf(list));
    });
    return new MultipleChoiceTask(name, out);
  }

  private static Example example(DataFiles.Line line, TextTokenizer tokenizer, int maxTokens) {
    long[] question = tokenizer.encode(line.text("question"), true);
    JsonNode choices = line.json().get("choices");
    if (choices == null || !choices.isArray() || choices.size() < 2) {
      throw new InvalidInputException(line.where() + ": field 'choices' must be a list of at least two strings");
    }
    JsonNode answer = line.json().get("answer");
    if (answer == null || !answer.isIntegralNumber()) {
      throw new InvalidInputException(line.where() + ": field 'answer' must be the index of the correct choice");
    }
    if (answer.asInt() < 0 || answer.asInt() >= choices.size()) {
      throw new InvalidInputException(line.where() + ": answer " + answer.asInt() + " is out of range (" + choices.size() + " choices: 0.."
          + (choices.size() - 1) + ")");
    }
    List<TokenWindow> windows = new ArrayList<>();
    int[] bytes = new int[choices.size()];
    for (int k = 0; k < choices.size(); k++) {
      JsonNode c = choices.get(k);
      if (!c.isTextual()) {
        throw new InvalidInputException(line.where() + ": choices[" + k + "] is not a string");
      }
      long[] continuation = tokenizer.encode(c.asText(), false);
      if (continuation.length == 0) {
        throw new InvalidInputException(line.where() + ": choices[" + k + "] has no tokens");
      }
      if (continuation.length >= maxTokens) {
        throw new InvalidInputException(line.where() + ": choices[" + k + "] has " + continuation.length + " tokens, max_tokens is " + maxTokens);
      }
      int keep = Math.min(question.length, maxTokens - continuation.length);
      long[] tokens = new long[keep + continuation.length];
      System.arraycopy(question, question.length - keep, tokens, 0, keep);
      System.arraycopy(continuation, 0, tokens, keep, continuation.length);
      // With no question token left, the choice's first token has nothing to be predicted from.
      windows.add(new TokenWindow(tokens, Math.max(1, keep)));
      bytes[k] = c.asText().getBytes(StandardCharsets.UTF_8).length;
    }
    return new Example(List.copyOf(windows), answer.asInt(), bytes);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<String> lowerIsBetter() {
    return Set.of();
  }

  @Override
  public int size(Split split) {
    return split(split).size();
  }

  @Override
  public TaskBatch batch(NDManager manager, Split split, int from, int count) {
    List<TokenWindow> rows = new ArrayList<>();
    List<long[]> meta = new ArrayList<>();
    List<Example> list = split(split).subList(from, from + count);
    for (int e = 0; e < list.size(); e++) {
      Example ex = list.get(e);
      for (int k = 0; k < ex.choices().size(); k++) {
        rows.add(ex.choices().get(k));
        meta.add(new long[] {e, k == ex.answer() ? 1 : 0, ex.choiceBytes()[k]});
      }
    }
    TaskBatch tokens = TokenWindow.batch(manager, rows, count);
    long[] flat = new long[rows.size() * META];
    for (int r = 0; r < rows.size(); r++) {
      System.arraycopy(meta.get(r), 0, flat, r * META, META);
    }
    NDArray labels = tokens.labels().concat(manager.create(flat, new Shape(rows.size(), META)), 1);
    return new TaskBatch(tokens.inputs(), labels, count);
  }

  @Override
  public TaskBatch randomTrainBatch(NDManager manager, Random rng, int count) {
    throw new InvalidInputException("task " + name + ": a declared task has no train split");
  }

  @Override
  public MetricAccumulator newMetrics() {
    return new Accumulator();
  }

  private List<Example> split(Split split) {
    List<Example> s = examples.get(split);
    if (s == null) {
      throw new InvalidInputException("tasks." + name + "." + TaskSpec.splitField(split) + ": not declared");
    }
    return s;
  }

  /** Sums per choice row on the device, then picks per question on the host. */
  private static final class Accumulator implements MetricAccumulator {
    private double goldLoss;
    private long goldTokens;
    private long questions;
    private long correct;
    private long correctNorm;

    @Override
    public void add(NDArray outputs, NDArray labels) {
      long length = labels.getShape().get(1) - META;
      NDArray targets = labels.get(new NDIndex(":, :{}", length));
      long[] meta = labels.get(new NDIndex(":, {}:", length)).toLongArray();
      NDArray scored = targets.gte(0).toType(DataType.FLOAT64, false);
      double[] logProb = TokenMetrics.targetLogProbs(outputs, targets).toType(DataType.FLOAT64, false).mul(scored)
          .sum(new int[] {1}).toDoubleArray();
      long[] count = scored.sum(new int[] {1}).toType(DataType.INT64, false).toLongArray();
      int rows = logProb.length;
      int r = 0;
      while (r < rows) {
        long question = meta[r * META];
        int best = -1;
        int bestNorm = -1;
        int gold = -1;
        double max = Double.NEGATIVE_INFINITY;
        double maxNorm = Double.NEGATIVE_INFINITY;
        for (int k = 0; r < rows && meta[r * META] == question; k++, r++) {
          double norm = logProb[r] / meta[r * META + 2];
          if (logProb[r] > max) {
            max = logProb[r];
            best = k;
          }
          if (norm > maxNorm) {
            maxNorm = norm;
            bestNorm = k;
          }
          if (meta[r * META + 1] == 1) {
            gold = k;
            goldLoss -= logProb[r];
            goldTokens += count[r];
          }
        }
        questions++;
        correct += best == gold ? 1 : 0;
        correctNorm += bestNorm == gold ? 1 : 0;
      }
    }

    @Override
    public double meanLoss() {
      return goldTokens == 0 ? Double.NaN : goldLoss / goldTokens;
    }

    @Override
    public long units() {
      return goldTokens;
    }

    @Override
    public Map<String, Double> metrics() {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("accuracy", questions == 0 ? Double.NaN : (double) correct / questions);
      m.put("accuracy_norm", questions == 0 ? Double.NaN : (double) correctNorm / questions);
      return m;
    }
  }
}
