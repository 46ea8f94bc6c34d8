package io.automerge.tensor;

import io.automerge.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model checkpoint in Hugging Face layout: a directory with {@code model.safetensors}, or with
 * shards listed in {@code model.safetensors.index.json}; a lone {@code .safetensors} file (or an
 * index file) also opens. Tensor names are unique across the checkpoint; their order is stable:
 * shard by shard (shard file names sorted), each in data order.
 */
public final class Checkpoint implements AutoCloseable {

  static final String SINGLE_FILE = "model.safetensors";
  static final String INDEX_FILE = "model.safetensors.index.json";
  static final String CONFIG_FILE = "config.json";

  private record Located(SafetensorsFile file, TensorInfo info) {}

  private final Path root;
  private final List<SafetensorsFile> files;
  private final Map<String, Located> tensors;
  private final List<String> names;
  private final Map<String, String> metadata;

  private Checkpoint(Path root, List<SafetensorsFile> files, Map<String, Located> tensors) {
    this.root = root;
    this.files = List.copyOf(files);
    this.tensors = tensors;
    this.names = List.copyOf(tensors.keySet());
    Map<String, String> merged = new LinkedHashMap<>();
    for (SafetensorsFile file : files) {
      file.metadata().forEach(merged::putIfAbsent);
    }
    this.metadata = Collections.unmodifiableMap(merged);
  }

  /** Opens a checkpoint directory or file; anything missing or broken names the path. */
  public static Checkpoint open(Path dirOrFile) {
    Path path = dirOrFile.toAbsolutePath().normalize();
    if (Files.isDirectory(path)) {
      // Same preference as transformers' from_pretrained: the single file wins over an index.
      if (Files.isRegularFile(path.resolve(SINGLE_FILE))) {
        return single(path, path.resolve(SINGLE_FILE));
      }
      if (Files.isRegularFile(path.resolve(INDEX_FILE))) {
        return sharded(path, path.resolve(INDEX_FILE));
      }
      throw new InvalidInputException(
          dirOrFile + ": not a checkpoint (neither " + SINGLE_FILE + " nor " + INDEX_FILE + " inside)");
    }
    if (!Files.exists(path)) {
      throw new InvalidInputException(dirOrFile + ": no such file or directory");
    }
    String fileName = path.getFileName().toString();
    if (fileName.endsWith(".index.json")) {
      return sharded(path.getParent(), path);
    }
    if (fileName.endsWith(".safetensors")) {
      return single(path.getParent(), path);
    }
    throw new InvalidInputException(
        dirOrFile + ": not a checkpoint (expected a directory, a .safetensors file or an .index.json file)");
  }

  private static Checkpoint single(Path root, Path file) {
    SafetensorsFile opened = SafetensorsFile.open(file);
    Map<String, Located> tensors = new LinkedHashMap<>();
    opened.tensors().forEach(info -> tensors.put(info.name(), new Located(opened, info)));
    return new Checkpoint(root, List.of(opened), tensors);
  }

  private static Checkpoint sharded(Path root, Path indexFile) {
    ShardIndex index = ShardIndex.read(indexFile);
    List<SafetensorsFile> opened = new ArrayList<>();
    try {
      Map<String, Located> tensors = new LinkedHashMap<>();
      for (String shardName : index.shardFiles()) {
        SafetensorsFile shard = SafetensorsFile.open(root.resolve(shardName));
        opened.add(shard);
        for (TensorInfo info : shard.tensors()) {
          // A shard may carry tensors the index does not list; loaders ignore them, so do we.
          if (shardName.equals(index.weightMap().get(info.name()))) {
            tensors.put(info.name(), new Located(shard, info));
          }
        }
      }
      index.weightMap().forEach((name, shardName) -> {
        if (!tensors.containsKey(name)) {
          throw new InvalidInputException(
              indexFile + ": weight_map puts tensor \"" + name + "\" in " + shardName + ", which does not hold it");
        }
      });
      return new Checkpoint(root, opened, tensors);
    } catch (RuntimeException e) {
      opened.forEach(SafetensorsFile::close);
      throw e;
    }
  }

  /** The checkpoint directory (for a lone file, the directory holding it). */
  public Path root() {
    return root;
  }

  /** The safetensors files, in the order their tensors are listed. */
  public List<Path> files() {
    return files.stream().map(SafetensorsFile::path).toList();
  }

  public Optional<Path> configJson() {
    Path config = root.resolve(CONFIG_FILE);
    return Files.isRegularFile(config) ? Optional.of(config) : Optional.empty();
  }

  public List<String> names() {
    return names;
  }

  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  public TensorInfo info(String name) {
    return locate(name).info();
  }

  /** A read-only little-endian view of the tensor's bytes (see {@link SafetensorsFile#bytes}). */
  public ByteBuffer bytes(String name) {
    return locate(name).file().bytes(name);
  }

  /** The shards' {@code __metadata__} merged; where shards disagree the first shard wins. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Total bytes of all tensor data. */
  public long byteSize() {
    return tensors.values().stream().mapToLong(located -> located.info().byteSize()).sum();
  }

  private Located locate(String name) {
    Located located = tensors.get(name);
    if (located == null) {
      throw new InvalidInputException(root + ": checkpoint has no tensor named \"" + name + "\"");
    }
    return located;
  }

  @Override
  public void close() {
    files.forEach(SafetensorsFile::close);
  }
}
