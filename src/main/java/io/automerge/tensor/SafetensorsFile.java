package io.automerge.tensor;

import io.automerge.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code .safetensors} file, read through memory maps. The header is read and validated on
 * open; each tensor's bytes are mapped on first use, one mapping per tensor, so files far larger
 * than 2 GiB (the limit of one ByteBuffer) work as long as each tensor fits. Thread-safe.
 */
public final class SafetensorsFile implements AutoCloseable {

  private final Path path;
  private final FileChannel channel;
  private final long dataStart;
  private final SafetensorsHeader header;
  private final Map<String, TensorInfo> byName;
  private final Map<String, MappedByteBuffer> mapped = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private SafetensorsFile(Path path, FileChannel channel, long dataStart, SafetensorsHeader header) {
    this.path = path;
    this.channel = channel;
    this.dataStart = dataStart;
    this.header = header;
    Map<String, TensorInfo> index = new LinkedHashMap<>();
    header.tensors().forEach(info -> index.put(info.name(), info));
    this.byName = index;
  }

  /** Opens and validates a file; any defect is an InvalidInputException naming the file. */
  public static SafetensorsFile open(Path path) {
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(path + ": no such file");
    } catch (IOException e) {
      throw new InvalidInputException(path + ": cannot open: " + e.getMessage(), e);
    }
    try {
      long size = channel.size();
      if (size < 8) {
        throw new InvalidInputException(path + ": " + size + " bytes is too short for a safetensors file");
      }
      long headerBytes = readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (headerBytes < 2 || headerBytes > SafetensorsHeader.MAX_HEADER_BYTES) {
        throw new InvalidInputException(
            path + ": header length " + Long.toUnsignedString(headerBytes) + " is not plausible (not a safetensors file?)");
      }
      if (headerBytes > size - 8) {
        throw new InvalidInputException(
            path + ": header length " + headerBytes + " runs past the end of the " + size + "-byte file");
      }
      byte[] json = new byte[(int) headerBytes];
      readFully(channel, 8, json.length).get(json);
      long dataStart = 8 + headerBytes;
      SafetensorsHeader header = SafetensorsHeader.parse(path.toString(), json, size - dataStart);
      return new SafetensorsFile(path, channel, dataStart, header);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new InvalidInputException(path + ": cannot read: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  /** The {@code __metadata__} strings, in file order (empty when the file has none). */
  public Map<String, String> metadata() {
    return header.metadata();
  }

  /** Every tensor, in the order of its data in the file. */
  public List<TensorInfo> tensors() {
    return header.tensors();
  }

  public boolean contains(String name) {
    return byName.containsKey(name);
  }

  public TensorInfo info(String name) {
    TensorInfo info = byName.get(name);
    if (info == null) {
      throw new InvalidInputException(path + ": no tensor named \"" + name + "\"");
    }
    return info;
  }

  /**
   * A read-only little-endian view of the tensor's bytes, positioned at 0. Each call returns a
   * fresh view of the same mapping, so callers may move its position freely.
   */
  public ByteBuffer bytes(String name) {
    if (closed) {
      throw new IllegalStateException(path + " is closed");
    }
    TensorInfo info = info(name);
    if (info.byteSize() > Integer.MAX_VALUE) {
      throw new InvalidInputException(
          path + ": tensor \"" + name + "\" has " + info.byteSize() + " bytes, more than one buffer can map (2 GiB)");
    }
    MappedByteBuffer buffer = mapped.computeIfAbsent(name, key -> map(info));
    return buffer.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  private MappedByteBuffer map(TensorInfo info) {
    try {
      return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + info.begin(), info.byteSize());
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot map tensor \"" + info.name() + "\"", e);
    }
  }

  /** Closes the file; views already handed out stay readable until they are collected. */
  @Override
  public void close() {
    closed = true;
    mapped.clear();
    closeQuietly(channel);
  }

  private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("unexpected end of file");
      }
    }
    return buffer.flip();
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing was written through this channel; a failed close loses nothing.
    }
  }
}
