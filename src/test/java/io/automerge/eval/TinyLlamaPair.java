package io.automerge.eval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.automerge.data.tokenizer.TokenizerFiles;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.Architectures;
import io.automerge.model.ModelCheckpoints;
import io.automerge.model.llama.LlamaConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny Llama in Hugging Face layout with a word-level tokenizer.json over the most frequent
 * words of a Debian license text: a random base and two sources that differ from it by seeded
 * noise (real checkpoints for plumbing tests; they have learnt nothing).
 */
public record TinyLlamaPair(Path base, Path a, Path b, Path tokenizer, int vocab) {
  public static final Path LICENSES = Path.of("/usr/share/common-licenses");

  public static TinyLlamaPair create(Path dir) {
    System.setProperty("ai.djl.offline", "true");
    List<String> words = frequentWords(read(LICENSES.resolve("GPL-3")), 300);
    Path tokenizer = TokenizerFiles.wordLevel(dir.resolve("tokenizer.json"), words);
    int vocab = words.size() + 2;
    LlamaConfig config = new LlamaConfig(vocab, 32, 64, 2, 4, 2, 8, 1e-5, 10000.0, 64, false, false, false);
    TinyLlamaPair pair = new TinyLlamaPair(dir.resolve("base"), dir.resolve("a"), dir.resolve("b"), tokenizer, vocab);
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(5);
      ArchitectureModel model = Architectures.build(config.toJson(), "tiny llama").initialize(manager);
      ModelCheckpoints.save(model, pair.base(), Map.of());
      for (Path source : List.of(pair.a(), pair.b())) {
        for (var p : model.parametersByName().values()) {
          NDArray w = p.getArray();
          w.addi(manager.randomNormal(0f, 0.05f, w.getShape(), DataType.FLOAT32));
        }
        ModelCheckpoints.save(model, source, Map.of());
      }
      for (Path m : List.of(pair.base(), pair.a(), pair.b())) {
        Files.copy(tokenizer, m.resolve("tokenizer.json"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pair;
  }

  /** The {@code n} most frequent tokens of the tokenizer's pre-tokenization (\w+ | [^\w\s]+), ties by name. */
  public static List<String> frequentWords(String text, int n) {
    Map<String, Integer> counts = new HashMap<>();
    Matcher m = Pattern.compile("\\w+|[^\\w\\s]+").matcher(text);
    while (m.find()) {
      counts.merge(m.group(), 1, Integer::sum);
    }
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(n).map(Map.Entry::getKey).sorted(Comparator.naturalOrder()).toList();
  }

  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
