package io.automerge.trial.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.Architectures;
import io.automerge.model.ModelCheckpoints;
import io.automerge.model.llama.LlamaConfig;
import io.automerge.tensor.Checkpoint;
import io.automerge.tensor.DType;
import io.automerge.tensor.TensorSpec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's generated Llama is a checkpoint the Llama architecture loads, in BF16, with the public TinyLlama size. */
class RandomLlamaTest {
  @TempDir Path dir;

  @Test
  void writesEveryTensorTheArchitectureDeclaresInBf16AndLoads() {
    RandomLlama llama = new RandomLlama(new LlamaConfig(300, 64, 96, 2, 4, 2, 16, 1e-5, 10000.0, 64, false, false, false));
    Path tokenizer = RandomLlama.tokenizer(dir.resolve("tok/tokenizer.json"), List.of("the quick brown fox jumps over the lazy dog"), 280);
    llama.write(dir.resolve("base"), 0, tokenizer);
    llama.write(dir.resolve("source"), 1, tokenizer);
    try (NDManager manager = NDManager.newBaseManager(); Checkpoint ckpt = Checkpoint.open(dir.resolve("base"))) {
      ArchitectureModel model = ModelCheckpoints.load(dir.resolve("base"), manager);
      Map<String, List<Long>> declared = new LinkedHashMap<>();
      model.parametersByName().forEach((n, p) -> declared.put(n, Arrays.stream(p.getShape().getShape()).boxed().toList()));
      Map<String, List<Long>> written = new LinkedHashMap<>();
      for (TensorSpec t : llama.tensors()) {
        written.put(t.name(), Arrays.stream(t.shape()).boxed().toList());
        assertThat(ckpt.info(t.name()).dtype()).isEqualTo(DType.BF16);
      }
      assertThat(written).isEqualTo(declared);
      assertThat(llama.parameters()).isEqualTo(model.parameterCount());
      float[] norm = model.parametersByName().get("model.norm.weight").getArray().toFloatArray();
      assertThat(norm).containsOnly(1f);
    }
    assertThat(RandomLlama.tinyLlama().parameters()).isEqualTo(1_100_048_384L);
  }
}
