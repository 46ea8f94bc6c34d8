package io.automerge.data.tokenizer;

import io.automerge.data.Fortunes;
import java.nio.file.Path;
import java.util.List;

/**
 * The byte-level BPE of the fortunes example, trained on the training files of both languages
 * (the held-out test files are never seen), English and German entries in turn.
 */
public final class FortunesBpe {
  public static final int VOCAB_SIZE = 2048;
  /** The one special token: document start (as BOS) and end (as EOS), as in GPT-2. */
  public static final String END_OF_TEXT = CorpusBpe.END_OF_TEXT;

  private FortunesBpe() {}

  public static BpeModel train(Path fortunesRoot, int vocabSize) {
    return CorpusBpe.train(
        List.of(
            Fortunes.load(fortunesRoot, Fortunes.Language.EN).trainEntries(),
            Fortunes.load(fortunesRoot, Fortunes.Language.DE).trainEntries()),
        vocabSize);
  }
}
