package io.automerge.merge;

import io.automerge.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The Hugging Face tokenizer files of a checkpoint, copied for {@code tokenizer_source: base}. */
final class TokenizerFiles {
  static final List<String> NAMES = List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
      "tokenizer.model", "vocab.json", "merges.txt", "added_tokens.json");

  private TokenizerFiles() {}

  static void copy(Path model, Path into) throws IOException {
    Path dir = Files.isDirectory(model) ? model : model.getParent();
    boolean any = false;
    for (String name : NAMES) {
      Path file = dir.resolve(name);
      if (Files.isRegularFile(file)) {
        Files.copy(file, into.resolve(name));
        any = true;
      }
    }
    if (!any) {
      throw new InvalidInputException("tokenizer_source: base: " + dir + " has no tokenizer files (" + String.join(", ", NAMES) + ")");
    }
  }
}
