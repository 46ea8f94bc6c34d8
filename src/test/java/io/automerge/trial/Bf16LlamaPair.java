package io.automerge.trial;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.automerge.data.tokenizer.TokenizerFiles;
import io.automerge.eval.TinyLlamaPair;
import io.automerge.merge.MergeEngine;
import io.automerge.merge.MergeRecipe;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.Architectures;
import io.automerge.model.ModelCheckpoints;
import io.automerge.model.llama.LlamaConfig;
import io.automerge.search.SearchSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A random Llama base and two noisy sources stored in BF16 (as LLM checkpoints are), with a
 * word-level tokenizer.json and a spec whose two declared text tasks read Debian license texts.
 */
record Bf16LlamaPair(Path base, List<Path> sources, Path dir) {

  static Bf16LlamaPair create(Path dir, int hidden, int intermediate, int layers) {
    System.setProperty("ai.djl.offline", "true");
    try {
      List<String> words = TinyLlamaPair.frequentWords(TinyLlamaPair.read(TinyLlamaPair.LICENSES.resolve("GPL-3")), 300);
      Path tokenizer = TokenizerFiles.wordLevel(Files.createDirectories(dir).resolve("tokenizer.json"), words);
      LlamaConfig config = new LlamaConfig(words.size() + 2, hidden, intermediate, layers, 4, 2, hidden / 4, 1e-5, 10000.0, 64,
          false, false, false);
      List<String> names = List.of("base", "a", "b");
      try (NDManager manager = NDManager.newBaseManager()) {
        Engine.getInstance().setRandomSeed(11);
        ArchitectureModel model = Architectures.build(config.toJson(), "bf16 llama").initialize(manager);
        for (String name : names) {
          if (!name.equals("base")) {
            for (var p : model.parametersByName().values()) {
              NDArray w = p.getArray();
              w.addi(manager.randomNormal(0f, 0.05f, w.getShape(), DataType.FLOAT32));
            }
          }
          Path f32 = dir.resolve(name + "-f32");
          ModelCheckpoints.save(model, f32, Map.of());
          Path out = dir.resolve(name);
          // a one-model linear merge is the model itself, here rounded to BF16
          MergeEngine.builder(MergeRecipe.builder().models(List.of(f32, f32)).dtype(io.automerge.tensor.DType.BF16)
              .block("all", ".*", "linear", Map.of("weights", List.of(1.0, 0.0))).build()).build().run(out, false);
          Files.copy(tokenizer, out.resolve("tokenizer.json"));
        }
      }
      Path data = Files.createDirectories(dir.resolve("data"));
      for (String f : List.of("BSD", "Artistic", "MPL-2.0", "Apache-2.0")) {
        Files.copy(TinyLlamaPair.LICENSES.resolve(f), data.resolve(f + ".txt"));
      }
      return new Bf16LlamaPair(dir.resolve("base"), List.of(dir.resolve("a"), dir.resolve("b")), dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A spec over the pair: tasks {@code bsd} (model a) and {@code artistic} (model b), {@code extra} YAML appended. */
  SearchSpec spec(String id, String extra) {
    try {
      Path file = dir.resolve(id + ".yaml");
      Files.writeString(file, """
          id: %s
          base_model: base
          models:
            - {path: a, task: bsd}
            - {path: b, task: artistic}
          segmentation: layers:1
          trials: 60
          validation: {samples_per_task: 8}
          seed: 4
          output: out-%s
          tasks:
            bsd: {type: text, validation: data/BSD.txt, test: data/MPL-2.0.txt, max_tokens: 32}
            artistic: {type: text, validation: data/Artistic.txt, test: data/Apache-2.0.txt, max_tokens: 32}
          """.formatted(id, id) + extra);
      return SearchSpec.load(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
