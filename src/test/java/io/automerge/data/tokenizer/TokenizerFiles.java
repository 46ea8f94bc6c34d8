package io.automerge.data.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes real tokenizer.json files for tests, in the format the HF tokenizers library saves: a
 * WordLevel model over given words (ids in list order after {@code <s>}=0 and {@code <unk>}=1),
 * whitespace pre-tokenization, and a post-processor that prepends {@code <s>} as Llama's does.
 */
public final class TokenizerFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TokenizerFiles() {}

  public static Path wordLevel(Path file, List<String> words) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    added.add(special(0, "<s>"));
    added.add(special(1, "<unk>"));
    root.putNull("normalizer");
    root.putObject("pre_tokenizer").put("type", "Whitespace");
    ObjectNode post = root.putObject("post_processor");
    post.put("type", "TemplateProcessing");
    post.putArray("single").add(specialPiece()).add(sequence("A"));
    post.putArray("pair").add(specialPiece()).add(sequence("A")).add(sequence("B"));
    ObjectNode bos = post.putObject("special_tokens").putObject("<s>");
    bos.put("id", "<s>");
    bos.putArray("ids").add(0);
    bos.putArray("tokens").add("<s>");
    root.putNull("decoder");
    ObjectNode model = root.putObject("model");
    model.put("type", "WordLevel");
    ObjectNode vocab = model.putObject("vocab");
    vocab.put("<s>", 0);
    vocab.put("<unk>", 1);
    for (int i = 0; i < words.size(); i++) {
      vocab.put(words.get(i), i + 2);
    }
    model.put("unk_token", "<unk>");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static ObjectNode special(int id, String content) {
    ObjectNode t = JSON.createObjectNode();
    t.put("id", id);
    t.put("content", content);
    t.put("single_word", false);
    t.put("lstrip", false);
    t.put("rstrip", false);
    t.put("normalized", false);
    t.put("special", true);
    return t;
  }

  private static ObjectNode specialPiece() {
    ObjectNode piece = JSON.createObjectNode();
    ObjectNode s = piece.putObject("SpecialToken");
    s.put("id", "<s>");
    s.put("type_id", 0);
    return piece;
  }

  private static ObjectNode sequence(String id) {
    ObjectNode piece = JSON.createObjectNode();
    ObjectNode s = piece.putObject("Sequence");
    s.put("id", id);
    s.put("type_id", 0);
    return piece;
  }
}
