package io.automerge.merge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automerge.tensor.Checkpoint;
import io.automerge.tensor.TensorInfo;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The data written by src/test/resources/golden/make_golden.py (numpy, not our code). */
final class Golden {
  private Golden() {}

  static Path dir() {
    try {
      return Path.of(Golden.class.getResource("/golden/cases.txt").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> cases() throws IOException {
    return Files.readAllLines(dir().resolve("cases.txt")).stream().filter(s -> !s.isBlank()).toList();
  }

  static Path recipe(String name) {
    return dir().resolve("cases").resolve(name + ".yaml");
  }

  static Path model(String name) {
    return dir().resolve("models").resolve(name);
  }

  static JsonNode expected(String name) throws IOException {
    return new ObjectMapper().readTree(dir().resolve("expected").resolve(name + ".json").toFile());
  }

  /** Asserts every expected tensor is in {@code out} with the same dtype, shape and values. */
  static void assertMatches(Path out, JsonNode expected, String label) {
    try (Checkpoint merged = Checkpoint.open(out)) {
      assertThat(merged.names()).as(label + " tensor names").hasSize(expected.size());
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        String name = entry.getKey();
        JsonNode want = entry.getValue();
        String where = label + " / " + name;
        TensorInfo info = merged.info(name);
        assertThat(info.dtype().safetensorsName()).as(where + " dtype").isEqualTo(want.get("dtype").asText());
        long[] shape = new long[want.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = want.get("shape").get(i).asLong();
        }
        assertThat(info.shape()).as(where + " shape").isEqualTo(shape);
        ByteBuffer bytes = merged.bytes(name).order(ByteOrder.LITTLE_ENDIAN);
        JsonNode data = want.get("data");
        for (int i = 0; i < data.size(); i++) {
          switch (info.dtype()) {
            case F32 -> {
              double e = data.get(i).asDouble();
              double a = bytes.getFloat(i * 4);
              assertThat(Math.abs(a - e)).as(where + "[" + i + "]: " + a + " vs " + e)
                  .isLessThanOrEqualTo(2e-6 + 2e-6 * Math.abs(e));
            }
            case F16, BF16 -> {
              // python rounds its own float32 sums: allow one unit in the last place
              int e = data.get(i).asInt();
              int a = Short.toUnsignedInt(bytes.getShort(i * 2));
              assertThat(Math.abs(a - e)).as(where + "[" + i + "] bits " + a + " vs " + e).isLessThanOrEqualTo(1);
            }
            case I64 -> assertThat(bytes.getLong(i * 8)).as(where + "[" + i + "]").isEqualTo(data.get(i).asLong());
            default -> throw new AssertionError("unexpected dtype " + info.dtype());
          }
        }
      }
    }
  }
}
