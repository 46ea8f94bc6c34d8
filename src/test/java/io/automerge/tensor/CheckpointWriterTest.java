package io.automerge.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointWriterTest {

  @TempDir Path dir;

  @BeforeAll
  static void offline() {
    System.setProperty("ai.djl.offline", "true");
  }

  private static final List<TensorSpec> SPECS = List.of(
      new TensorSpec("embed.weight", DType.F32, new long[] {4, 3}), // 48 bytes
      new TensorSpec("norm.weight", DType.BF16, new long[] {3}), //      6 bytes
      new TensorSpec("head.weight", DType.F16, new long[] {5, 3}), //   30 bytes
      new TensorSpec("step", DType.I64, new long[] {})); //              8 bytes

  @Test
  void writesOneAlignedFileWhenEverythingFitsAndReadsItBack() throws IOException {
    writeAll(dir, 1 << 20);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("model.safetensors");
    }
    ByteBuffer prefix = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("model.safetensors")))
        .order(ByteOrder.LITTLE_ENDIAN);
    assertThat((8 + prefix.getLong()) % 8).as("data section is 8-byte aligned").isZero();
    try (Checkpoint checkpoint = Checkpoint.open(dir)) {
      assertThat(checkpoint.names()).containsExactly("embed.weight", "norm.weight", "head.weight", "step");
      assertThat(checkpoint.metadata()).containsEntry("format", "pt");
      assertContents(checkpoint);
    }
  }

  @Test
  void shardsLikeHuggingFaceWithAnIndex() throws IOException {
    writeAll(dir, 60); // 48+6 fit, then 30+8 fit: two shards
    assertThat(dir.resolve("model-00001-of-00002.safetensors")).exists();
    assertThat(dir.resolve("model-00002-of-00002.safetensors")).exists();
    assertThat(dir.resolve("model.safetensors")).doesNotExist();
    JsonNode index = new ObjectMapper().readTree(dir.resolve("model.safetensors.index.json").toFile());
    assertThat(index.at("/metadata/total_size").asLong()).isEqualTo(92);
    assertThat(index.at("/weight_map/norm.weight").asText()).isEqualTo("model-00001-of-00002.safetensors");
    assertThat(index.at("/weight_map/step").asText()).isEqualTo("model-00002-of-00002.safetensors");
    try (Checkpoint checkpoint = Checkpoint.open(dir)) {
      assertThat(checkpoint.names()).containsExactly("embed.weight", "norm.weight", "head.weight", "step");
      assertContents(checkpoint);
    }
  }

  @Test
  void aTensorLargerThanTheShardSizeGetsAShardOfItsOwn() throws IOException {
    writeAll(dir, 10);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.filter(p -> p.toString().endsWith(".safetensors"))).hasSize(4);
    }
    try (Checkpoint checkpoint = Checkpoint.open(dir)) {
      assertContents(checkpoint);
    }
  }

  @Test
  void djlReadsWhatWeWrite() throws IOException {
    List<TensorSpec> specs = List.of(new TensorSpec("w", DType.F32, new long[] {2, 2}));
    try (CheckpointWriter writer = CheckpointWriter.create(dir, specs, 1 << 20, Map.of("format", "pt"))) {
      writer.write("w", ElementCodec.encode(new float[] {1, 2, 3, 4}, DType.F32));
    }
    try (NDManager manager = NDManager.newBaseManager();
        InputStream in = Files.newInputStream(dir.resolve("model.safetensors"))) {
      NDList list = NDList.decode(manager, in);
      assertThat(list.get(0).getName()).isEqualTo("w");
      assertThat(list.get(0).toFloatArray()).containsExactly(1, 2, 3, 4);
    }
  }

  @Test
  void refusesOutOfOrderWrongSizeAndIncompleteCheckpoints() {
    CheckpointWriter writer = CheckpointWriter.create(dir, SPECS, 1 << 20, Map.of());
    assertThatThrownBy(() -> writer.write("norm.weight", ByteBuffer.allocate(6)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("\"embed.weight\" comes next");
    assertThatThrownBy(() -> writer.write("embed.weight", ByteBuffer.allocate(47)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs 48 bytes, got 47");
    writer.write("embed.weight", ByteBuffer.allocate(48));
    assertThat(writer.remaining()).isEqualTo(3);
    assertThatThrownBy(writer::close)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("1 of 4 tensors written")
        .hasMessageContaining("\"norm.weight\" is missing");
    assertThatThrownBy(() -> CheckpointWriter.create(dir, List.of(SPECS.get(0), SPECS.get(0)), 100, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("declared twice");
  }

  @Test
  void anEmptyCheckpointIsOneValidFile() {
    CheckpointWriter.create(dir, List.of(), 100, Map.of("format", "pt")).close();
    try (Checkpoint checkpoint = Checkpoint.open(dir)) {
      assertThat(checkpoint.names()).isEmpty();
      assertThat(checkpoint.metadata()).containsEntry("format", "pt");
    }
  }

  private static void writeAll(Path dir, long shardSize) {
    try (CheckpointWriter writer = CheckpointWriter.create(dir, SPECS, shardSize, Map.of("format", "pt"))) {
      for (TensorSpec spec : SPECS) {
        writer.write(spec.name(), ElementCodec.encode(valuesFor(spec), spec.dtype()));
      }
    }
  }

  private static void assertContents(Checkpoint checkpoint) {
    for (TensorSpec spec : SPECS) {
      TensorInfo info = checkpoint.info(spec.name());
      assertThat(info.spec()).isEqualTo(spec);
      assertThat(ElementCodec.decode(checkpoint.bytes(spec.name()), spec.dtype()))
          .as(spec.name())
          .containsExactly(valuesFor(spec));
    }
  }

  /** Distinct small integers per tensor: exact in every dtype used here. */
  private static float[] valuesFor(TensorSpec spec) {
    float[] values = new float[(int) spec.numel()];
    for (int i = 0; i < values.length; i++) {
      values[i] = spec.name().length() * 10 + i;
    }
    return values;
  }
}
