package io.automerge.tensor;

import static io.automerge.tensor.RawSafetensors.floats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.automerge.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

  @TempDir Path dir;

  private static final String ONE_F32 = "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";

  @Test
  void opensADirectoryALoneFileAndAnIndexFile() throws IOException {
    Path model = RawSafetensors.write(dir.resolve("model.safetensors"), "{\"w\":" + ONE_F32 + "}", floats(2f));
    Files.writeString(dir.resolve("config.json"), "{\"architecture\":\"cct\"}");
    try (Checkpoint fromDir = Checkpoint.open(dir); Checkpoint fromFile = Checkpoint.open(model)) {
      assertThat(fromDir.names()).containsExactly("w");
      assertThat(fromFile.names()).containsExactly("w");
      assertThat(fromDir.root()).isEqualTo(fromFile.root());
      assertThat(fromDir.configJson()).contains(dir.resolve("config.json").toAbsolutePath());
      assertThat(fromDir.bytes("w").getFloat()).isEqualTo(2f);
      assertThat(fromDir.contains("w")).isTrue();
      assertThat(fromDir.contains("v")).isFalse();
      assertThat(fromDir.byteSize()).isEqualTo(4);
      assertThat(fromDir.files()).containsExactly(model.toAbsolutePath());
    }
  }

  @Test
  void shardedCheckpointsFollowTheWeightMapAndMergeMetadata() throws IOException {
    RawSafetensors.write(dir.resolve("b.safetensors"),
        "{\"__metadata__\":{\"format\":\"pt\",\"shard\":\"b\"},\"y\":" + ONE_F32 + "}", floats(2f));
    RawSafetensors.write(dir.resolve("a.safetensors"),
        "{\"__metadata__\":{\"shard\":\"a\"},\"x\":" + ONE_F32 + ",\"stray\":"
            + "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", floats(1f, 9f));
    writeIndex(Map.of("y", "b.safetensors", "x", "a.safetensors"));
    try (Checkpoint checkpoint = Checkpoint.open(dir)) {
      assertThat(checkpoint.names()).containsExactly("x", "y"); // shards in name order; "stray" is unlisted
      assertThat(checkpoint.bytes("y").getFloat()).isEqualTo(2f);
      assertThat(checkpoint.metadata()).containsEntry("shard", "a").containsEntry("format", "pt");
      assertThat(checkpoint.configJson()).isEmpty();
    }
    try (Checkpoint viaIndex = Checkpoint.open(dir.resolve("model.safetensors.index.json"))) {
      assertThat(viaIndex.names()).containsExactly("x", "y");
    }
  }

  @Test
  void missingOrInconsistentCheckpointsNameThePath() throws IOException {
    assertRefused(dir, "not a checkpoint");
    assertRefused(dir.resolve("nowhere"), "nowhere: no such file or directory");
    assertRefused(Files.writeString(dir.resolve("notes.txt"), "hi"), "not a checkpoint");

    RawSafetensors.write(dir.resolve("a.safetensors"), "{\"x\":" + ONE_F32 + "}", floats(1f));
    writeIndex(Map.of("x", "a.safetensors", "ghost", "a.safetensors"));
    assertRefused(dir, "tensor \"ghost\" in a.safetensors, which does not hold it");
    writeIndex(Map.of("x", "missing.safetensors"));
    assertRefused(dir, "missing.safetensors: no such file");
    writeIndex(Map.of("x", "../a.safetensors"));
    assertRefused(dir, "does not name a shard file beside the index");
    Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"metadata\":{}}");
    assertRefused(dir, "no weight_map");

    try (Checkpoint checkpoint = Checkpoint.open(dir.resolve("a.safetensors"))) {
      assertThatThrownBy(() -> checkpoint.info("nope"))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("no tensor named \"nope\"");
    }
  }

  private void writeIndex(Map<String, String> weightMap) throws IOException {
    Files.write(dir.resolve("model.safetensors.index.json"), new ShardIndex(weightMap, 0).encode());
  }

  private static void assertRefused(Path path, String expected) {
    assertThatThrownBy(() -> Checkpoint.open(path).close())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(expected)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

}
