package io.automerge.data.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automerge.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} run by the Rust tokenizers library (through DJL's
 * binding, whose jar carries the native library, so it works offline). DJL truncates to 512
 * tokens and may pad by default; both are turned off here.
 */
public final class HfTokenizer implements TextTokenizer {
  private final Path file;
  private final HuggingFaceTokenizer tokenizer;
  private final int maxTokenId;

  private HfTokenizer(Path file, HuggingFaceTokenizer tokenizer, int maxTokenId) {
    this.file = file;
    this.tokenizer = tokenizer;
    this.maxTokenId = maxTokenId;
  }

  /** Reads a tokenizer.json file; a file the library refuses ends in one line naming it. */
  public static HfTokenizer load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file + ": tokenizer file not found");
    }
    int maxId = maxId(file);
    try {
      HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
          .optTokenizerPath(file)
          .optTruncation(false)
          .optPadding(false)
          .optAddSpecialTokens(true)
          .build();
      return new HfTokenizer(file, tokenizer, maxId);
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      throw new InvalidInputException(file + ": not a readable tokenizer.json (" + why + ")", e);
    }
  }

  @Override
  public long[] encode(String text, boolean specialTokens) {
    return tokenizer.encode(text, specialTokens, false).getIds();
  }

  @Override
  public int maxTokenId() {
    return maxTokenId;
  }

  @Override
  public String source() {
    return file.toString();
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  /**
   * The largest id in the file: the model's vocabulary (a map token to id for BPE, WordPiece and
   * WordLevel; a list of [piece, score] for Unigram) and the added tokens.
   */
  static int maxId(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new InvalidInputException(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
    }
    JsonNode vocab = root.path("model").path("vocab");
    int max = -1;
    if (vocab.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
        max = Math.max(max, it.next().getValue().asInt());
      }
    } else if (vocab.isArray()) {
      max = vocab.size() - 1;
    } else {
      throw new InvalidInputException(file + ": model.vocab: missing (not a tokenizer.json?)");
    }
    for (JsonNode added : root.path("added_tokens")) {
      max = Math.max(max, added.path("id").asInt());
    }
    return max;
  }
}
