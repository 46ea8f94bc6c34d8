package io.automerge.data.tokenizer;

import io.automerge.data.Fortunes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte-level BPE of the fortunes example, trained on the training files of both languages
 * (the held-out test files are never seen), English and German entries in turn.
 */
public final class FortunesBpe {
  public static final int VOCAB_SIZE = 2048;
  /** The one special token: document start (as BOS) and end (as EOS), as in GPT-2. */
  public static final String END_OF_TEXT = "<|endoftext|>";

  private FortunesBpe() {}

  public static BpeModel train(Path fortunesRoot, int vocabSize) {
    List<byte[]> en = Fortunes.load(fortunesRoot, Fortunes.Language.EN).trainEntries();
    List<byte[]> de = Fortunes.load(fortunesRoot, Fortunes.Language.DE).trainEntries();
    List<String> texts = new ArrayList<>(en.size() + de.size());
    for (int i = 0; i < Math.max(en.size(), de.size()); i++) {
      if (i < en.size()) {
        texts.add(new String(en.get(i), StandardCharsets.UTF_8));
      }
      if (i < de.size()) {
        texts.add(new String(de.get(i), StandardCharsets.UTF_8));
      }
    }
    return BpeTrainer.train(texts, vocabSize, List.of(END_OF_TEXT));
  }
}
