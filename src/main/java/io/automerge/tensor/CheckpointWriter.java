package io.automerge.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Streams tensors into a checkpoint directory, one tensor at a time, so a model far larger than
 * memory can be written. The layout is fixed up front from the declared specs (see
 * {@link ShardPlan}); each shard's header is written when its first tensor arrives, and the
 * shard index when the last one has. Files go straight into {@code dir}: callers that need
 * atomicity write into a temporary directory and rename it.
 */
public final class CheckpointWriter implements AutoCloseable {

  private final Path dir;
  private final ShardPlan plan;
  private final Map<String, String> metadata;
  /** A declared tensor and the index of the shard that holds it. */
  private record Slot(TensorInfo info, int shard) {}

  /** Every declared tensor, in write order. */
  private final List<Slot> order = new ArrayList<>();
  private int next;
  private int openShard = -1;
  private FileChannel channel;
  private boolean closed;

  private CheckpointWriter(Path dir, ShardPlan plan, Map<String, String> metadata) {
    this.dir = dir;
    this.plan = plan;
    this.metadata = Map.copyOf(metadata);
    for (int s = 0; s < plan.shards().size(); s++) {
      for (TensorInfo info : plan.shards().get(s).tensors()) {
        order.add(new Slot(info, s));
      }
    }
  }

  /**
   * Plans the checkpoint. Tensors must then be written in exactly the declared order; a single
   * {@code model.safetensors} is written when everything fits in {@code shardSizeBytes}.
   */
  public static CheckpointWriter create(
      Path dir, List<TensorSpec> specs, long shardSizeBytes, Map<String, String> metadata) {
    ShardPlan plan = ShardPlan.of(specs, shardSizeBytes);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create checkpoint directory " + dir, e);
    }
    CheckpointWriter writer = new CheckpointWriter(dir, plan, metadata);
    if (specs.isEmpty()) {
      writer.openShard(0); // nothing will ever arrive: the empty file is complete now
    }
    return writer;
  }

  /** Writes the next declared tensor; its bytes are little-endian and exactly its size. */
  public void write(String name, ByteBuffer littleEndianBytes) {
    if (closed) {
      throw new IllegalStateException("checkpoint writer for " + dir + " is closed");
    }
    if (next >= order.size()) {
      throw new IllegalStateException("tensor \"" + name + "\" was not declared, or was already written");
    }
    TensorInfo expected = order.get(next).info();
    if (!expected.name().equals(name)) {
      throw new IllegalStateException(
          "tensor \"" + name + "\" written out of order: \"" + expected.name() + "\" comes next");
    }
    if (littleEndianBytes.remaining() != expected.byteSize()) {
      throw new IllegalArgumentException(
          "tensor \"" + name + "\" (" + expected.dtype() + Arrays.toString(expected.shape())
              + ") needs " + expected.byteSize() + " bytes, got " + littleEndianBytes.remaining());
    }
    int shard = order.get(next).shard();
    if (shard != openShard) {
      finishShard();
      openShard(shard);
    }
    writeFully(littleEndianBytes.duplicate());
    next++;
    if (next == order.size() || order.get(next).shard() != shard) {
      finishShard();
    }
  }

  /** Declared tensors not yet written. */
  public int remaining() {
    return order.size() - next;
  }

  /**
   * Finishes the checkpoint: writes the shard index when sharded. Throws IllegalStateException,
   * after releasing the files, when a declared tensor was never written.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (next < order.size()) {
      finishShard();
      throw new IllegalStateException(
          "checkpoint " + dir + " is incomplete: " + next + " of " + order.size()
              + " tensors written, \"" + order.get(next).info().name() + "\" is missing");
    }
    if (plan.isSharded()) {
      try {
        Files.write(dir.resolve(Checkpoint.INDEX_FILE), plan.index().encode());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write shard index in " + dir, e);
      }
    }
  }

  private void openShard(int shard) {
    ShardPlan.Shard planned = plan.shards().get(shard);
    byte[] header = new SafetensorsHeader(metadata, planned.tensors()).encode();
    try {
      channel = FileChannel.open(
          dir.resolve(planned.fileName()),
          StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir.resolve(planned.fileName()), e);
    }
    openShard = shard;
    ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
    prefix.putLong(header.length).put(header).flip();
    writeFully(prefix);
    if (planned.tensors().isEmpty()) {
      finishShard();
    }
  }

  private void finishShard() {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish " + plan.shards().get(openShard).fileName(), e);
    } finally {
      channel = null;
    }
  }

  private void writeFully(ByteBuffer bytes) {
    try {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + plan.shards().get(openShard).fileName(), e);
    }
  }
}
