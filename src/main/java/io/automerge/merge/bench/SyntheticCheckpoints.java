package io.automerge.merge.bench;

import io.automerge.tensor.CheckpointWriter;
import io.automerge.tensor.DType;
import io.automerge.tensor.TensorSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic float32 checkpoints for benchmarks: a base with uniform values in [-1, 1) and
 * models that add uniform noise in [-0.05, 0.05), each tensor from its own seeded stream, so
 * the same spec always gives the same bytes. Written sharded, so reading shards is exercised.
 *
 * @param dir where base/ and model-1/ ... are written
 */
public record SyntheticCheckpoints(Path dir, long totalBytes, long tensorBytes, int models, long shardBytes) {

  public Path base() {
    return dir.resolve("base");
  }

  public List<Path> modelPaths() {
    List<Path> paths = new ArrayList<>();
    for (int m = 1; m <= models; m++) {
      paths.add(dir.resolve("model-" + m));
    }
    return paths;
  }

  public List<TensorSpec> specs() {
    List<TensorSpec> specs = new ArrayList<>();
    long elements = tensorBytes / 4;
    long left = totalBytes;
    for (int i = 0; left > 0; i++) {
      long n = Math.min(elements, left / 4);
      // 2-D like a linear layer: rows of 1024 where possible
      long[] shape = n % 1024 == 0 ? new long[] {n / 1024, 1024} : new long[] {n};
      specs.add(new TensorSpec("layers." + i + ".weight", DType.F32, shape));
      left -= n * 4;
    }
    return specs;
  }

  private String marker() {
    return "synthetic-v1 total=" + totalBytes + " tensor=" + tensorBytes + " shard=" + shardBytes + "\n";
  }

  /** Writes the checkpoints unless an identical set is already there; returns seconds spent. */
  public double ensure() {
    long start = System.nanoTime();
    List<Path> all = new ArrayList<>(List.of(base()));
    all.addAll(modelPaths());
    try {
      for (int m = 0; m < all.size(); m++) {
        Path marker = all.get(m).resolve("synthetic.txt");
        if (Files.isRegularFile(marker) && Files.readString(marker).equals(marker())) {
          continue;
        }
        write(all.get(m), m);
        Files.writeString(marker, marker());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private void write(Path checkpoint, int model) throws IOException {
    if (Files.exists(checkpoint)) {
      try (var paths = Files.walk(checkpoint)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
    List<TensorSpec> specs = specs();
    ByteBuffer buffer = ByteBuffer.allocateDirect((int) tensorBytes).order(ByteOrder.LITTLE_ENDIAN);
    try (CheckpointWriter writer = CheckpointWriter.create(checkpoint, specs, shardBytes, Map.of("format", "pt"))) {
      for (int t = 0; t < specs.size(); t++) {
        int n = (int) (specs.get(t).byteSize() / 4);
        buffer.clear().limit(n * 4);
        FloatBuffer floats = buffer.asFloatBuffer();
        SplittableRandom baseStream = new SplittableRandom(0x5eedL * 1_000_003 + t);
        SplittableRandom noise = new SplittableRandom((model * 7_919L + 17) * 1_000_003 + t);
        for (int i = 0; i < n; i++) {
          float value = (float) (baseStream.nextDouble() * 2 - 1);
          if (model > 0) {
            value += (float) (noise.nextDouble() * 0.1 - 0.05);
          }
          floats.put(i, value);
        }
        writer.write(specs.get(t).name(), buffer.duplicate());
      }
    }
  }
}
