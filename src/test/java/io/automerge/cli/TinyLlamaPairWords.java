package io.automerge.cli;

import io.automerge.eval.TinyLlamaPair;
import java.util.List;

/** Words for a tokenizer larger than the tiny Llama's vocabulary. */
final class TinyLlamaPairWords {
  private TinyLlamaPairWords() {}

  static List<String> words(int n) {
    return TinyLlamaPair.frequentWords(TinyLlamaPair.read(TinyLlamaPair.LICENSES.resolve("GPL-3")), n);
  }
}
