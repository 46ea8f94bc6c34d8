package io.automerge.data.tokenizer;

import io.automerge.data.Tasks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The project's byte-level BPE, trained on the training documents of one or more corpora taken
 * in turn (document i of each source, then i + 1, ...), with {@link #END_OF_TEXT} as its one
 * special token. Held-out test documents are never seen.
 */
public final class CorpusBpe {
  /** The one special token: document start (as BOS) and end (as EOS), as in GPT-2. */
  public static final String END_OF_TEXT = "<|endoftext|>";

  private CorpusBpe() {}

  /** Trains on the sources' documents interleaved. */
  public static BpeModel train(List<List<byte[]>> sources, int vocabSize) {
    int longest = sources.stream().mapToInt(List::size).max().orElse(0);
    List<String> texts = new ArrayList<>(sources.stream().mapToInt(List::size).sum());
    for (int i = 0; i < longest; i++) {
      for (List<byte[]> source : sources) {
        if (i < source.size()) {
          texts.add(new String(source.get(i), StandardCharsets.UTF_8));
        }
      }
    }
    return BpeTrainer.train(texts, vocabSize, List.of(END_OF_TEXT));
  }

  /** Trains on the training documents of built-in text tasks ({@code fortunes:en}, {@code python:stdlib}, ...). */
  public static BpeModel forTasks(List<String> tasks, int vocabSize) {
    return train(tasks.stream().map(Tasks::trainDocuments).toList(), vocabSize);
  }
}
