package io.automerge.data.tokenizer;

import io.automerge.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the tokenizer of a model or task, and checks that its ids fit the model's vocabulary. */
public final class Tokenizers {
  public static final String FILE = "tokenizer.json";

  private Tokenizers() {}

  /** A tokenizer.json, or a directory holding one. */
  public static HfTokenizer load(Path fileOrDir) {
    Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve(FILE) : fileOrDir;
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file + ": tokenizer not found"
          + (Files.isDirectory(fileOrDir) ? " (the directory has no " + FILE + ")" : ""));
    }
    return HfTokenizer.load(file);
  }

  /** The model directory's tokenizer.json, or byte-level ids for a model without one. */
  public static TextTokenizer forModel(Path modelDir) {
    Path dir = Files.isDirectory(modelDir) ? modelDir : modelDir.toAbsolutePath().getParent();
    return Files.isRegularFile(dir.resolve(FILE)) ? HfTokenizer.load(dir.resolve(FILE)) : new ByteTokenizer();
  }

  /** One line naming the tokenizer when it can emit an id the model has no embedding for. */
  public static void checkFits(TextTokenizer tokenizer, int vocabSize, String model) {
    if (tokenizer.maxTokenId() >= vocabSize) {
      throw new InvalidInputException(tokenizer.source() + ": token id " + tokenizer.maxTokenId()
          + " exceeds the vocabulary of " + model + " (vocab_size " + vocabSize + ")");
    }
  }
}
