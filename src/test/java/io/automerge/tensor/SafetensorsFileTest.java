package io.automerge.tensor;

import static io.automerge.tensor.RawSafetensors.concat;
import static io.automerge.tensor.RawSafetensors.floats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.automerge.InvalidInputException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

  @TempDir Path dir;

  @BeforeAll
  static void offline() {
    System.setProperty("ai.djl.offline", "true");
  }

  @Test
  void readsHeaderMetadataAndBytesInDataOrder() throws IOException {
    // Header lists "b" first, but its data comes second: tensors() follows the data.
    Path file = RawSafetensors.write(dir.resolve("m.safetensors"),
        "{\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},"
            + "\"__metadata__\":{\"format\":\"pt\"},"
            + "\"a\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]}}",
        concat(new byte[] {0, 0x3c, 0, 0x40, 0, 0x42, 0, 0x44}, floats(5f, -6f)));
    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      assertThat(st.metadata()).containsExactly(java.util.Map.entry("format", "pt"));
      assertThat(st.tensors()).extracting(TensorInfo::name).containsExactly("a", "b");
      TensorInfo a = st.info("a");
      assertThat(a.dtype()).isEqualTo(DType.F16);
      assertThat(a.shape()).containsExactly(2, 2);
      assertThat(a.numel()).isEqualTo(4);
      assertThat(a.byteSize()).isEqualTo(8);
      assertThat(ElementCodec.decode(st.bytes("a"), DType.F16)).containsExactly(1f, 2f, 3f, 4f);
      ByteBuffer b = st.bytes("b");
      assertThat(b.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
      assertThat(b.isReadOnly()).isTrue();
      assertThat(b.getFloat()).isEqualTo(5f);
      assertThat(st.bytes("b").getFloat()).as("each view starts at 0").isEqualTo(5f);
    }
  }

  @Test
  void readsWhatDjlWrites() throws IOException {
    Path file = dir.resolve("djl.safetensors");
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList list = new NDList(
          manager.create(new float[] {1.5f, -2f, 3f, 4f, 5f, 6f}, new ai.djl.ndarray.types.Shape(2, 3)),
          manager.create(new long[] {7, 8, 9}));
      list.get(0).setName("weight");
      list.get(1).setName("ids");
      Files.write(file, list.encode(NDList.Encoding.SAFETENSORS));
    }
    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      assertThat(st.info("weight").shape()).containsExactly(2, 3);
      assertThat(ElementCodec.decode(st.bytes("weight"), DType.F32)).containsExactly(1.5f, -2f, 3f, 4f, 5f, 6f);
      assertThat(st.info("ids").dtype()).isEqualTo(DType.I64);
      assertThat(st.bytes("ids").getLong(16)).isEqualTo(9L);
    }
  }

  @Test
  void scalarsAndEmptyTensorsAreValid() throws IOException {
    Path file = RawSafetensors.write(dir.resolve("s.safetensors"),
        "{\"empty\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[0,0]},"
            + "\"scalar\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}   ",
        floats(42f));
    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      assertThat(st.info("scalar").numel()).isEqualTo(1);
      assertThat(st.bytes("scalar").getFloat()).isEqualTo(42f);
      assertThat(st.bytes("empty").remaining()).isZero();
      assertThat(st.metadata()).isEmpty();
    }
  }

  @Test
  void refusesBrokenFilesWithOneLineNamingFileAndTensor() throws IOException {
    String ok = "\"dtype\":\"F32\",\"shape\":[2]";
    assertBroken("short", new byte[] {1, 2, 3}, "too short");
    assertBroken("huge-header", rawHeaderLength(Long.MAX_VALUE), "not plausible");
    assertBroken("past-end", rawHeaderLength(100), "runs past the end");
    assertBroken("not-json", "{\"a\":", floats(), "not valid JSON");
    assertBroken("array", "[1,2]", floats(), "not a JSON object");
    assertBroken("dtype", "{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1],
        "tensor \"a\": unsupported safetensors dtype \"F8_E4M3\"");
    assertBroken("size", "{\"a\":{" + ok + ",\"data_offsets\":[0,4]}}", floats(1f), "needs 8 bytes");
    assertBroken("overlap",
        "{\"a\":{" + ok + ",\"data_offsets\":[0,8]},\"b\":{" + ok + ",\"data_offsets\":[4,12]}}",
        floats(1, 2, 3), "tensor \"b\" data begins at 4");
    assertBroken("hole", "{\"a\":{" + ok + ",\"data_offsets\":[4,12]}}", floats(1, 2, 3), "overlap or hole");
    assertBroken("truncated", "{\"a\":{" + ok + ",\"data_offsets\":[0,8]}}", floats(1), "file holds 4");
    assertBroken("trailing", "{\"a\":{" + ok + ",\"data_offsets\":[0,8]}}", floats(1, 2, 3), "file holds 12");
    assertBroken("duplicate",
        "{\"a\":{" + ok + ",\"data_offsets\":[0,8]},\"a\":{" + ok + ",\"data_offsets\":[8,16]}}",
        floats(1, 2, 3, 4), "Duplicate field 'a'");
    assertBroken("negative", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", floats(1, 2),
        "shape holds -2");
    assertBroken("metadata", "{\"__metadata__\":{\"n\":3}}", floats(), "value \"n\" is not a string");
    assertThatThrownBy(() -> SafetensorsFile.open(dir.resolve("missing.safetensors")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("missing.safetensors: no such file");
  }

  @Test
  void mapsTensorsBeyondTwoGibibytesIntoTheFile() throws IOException {
    // A sparse file: 2.5 GiB of never-read padding costs no disk, yet puts "tail" past 2^31.
    long padBytes = 5L << 29;
    String header = "{\"pad\":{\"dtype\":\"U8\",\"shape\":[" + padBytes + "],\"data_offsets\":[0," + padBytes + "]},"
        + "\"tail\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + padBytes + "," + (padBytes + 8) + "]}}";
    Path file = RawSafetensors.write(dir.resolve("big.safetensors"), header, new byte[0]);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      long dataStart = raf.length();
      raf.seek(dataStart + padBytes);
      raf.write(floats(3.25f, -1f));
    }
    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      assertThat(ElementCodec.decode(st.bytes("tail"), DType.F32)).containsExactly(3.25f, -1f);
      assertThatThrownBy(() -> st.bytes("pad"))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("tensor \"pad\"")
          .hasMessageContaining("2 GiB");
    }
  }

  @Test
  void viewsAreRefusedAfterClose() throws IOException {
    Path file = RawSafetensors.write(dir.resolve("c.safetensors"),
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floats(1f));
    SafetensorsFile st = SafetensorsFile.open(file);
    st.close();
    assertThatThrownBy(() -> st.bytes("a")).isInstanceOf(IllegalStateException.class);
  }

  private void assertBroken(String name, String header, byte[] data, String expected) throws IOException {
    Path file = RawSafetensors.write(dir.resolve(name + ".safetensors"), header, data);
    assertRefused(file, expected);
  }

  private void assertBroken(String name, byte[] raw, String expected) throws IOException {
    assertRefused(Files.write(dir.resolve(name + ".safetensors"), raw), expected);
  }

  private static void assertRefused(Path file, String expected) {
    assertThatThrownBy(() -> SafetensorsFile.open(file).close())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining(expected)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  private static byte[] rawHeaderLength(long length) {
    return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(length)
        .put("{}      ".getBytes(StandardCharsets.US_ASCII)).array();
  }
}
