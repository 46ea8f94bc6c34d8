package io.automerge.tensor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How declared tensors fall into shard files, with their data offsets: greedy in declared order,
 * a new shard when the next tensor would push the current one past the size limit (a tensor larger
 * than the limit gets a shard of its own), as Hugging Face's {@code save_pretrained} does.
 */
record ShardPlan(List<Shard> shards) {

  /** One file: its name and its tensors with offsets relative to its data section. */
  record Shard(String fileName, List<TensorInfo> tensors) {
    Shard {
      tensors = List.copyOf(tensors);
    }

    long dataBytes() {
      return tensors.isEmpty() ? 0 : tensors.get(tensors.size() - 1).end();
    }
  }

  ShardPlan {
    shards = List.copyOf(shards);
  }

  static ShardPlan of(List<TensorSpec> specs, long shardSizeBytes) {
    if (shardSizeBytes <= 0) {
      throw new IllegalArgumentException("shard size must be positive, got " + shardSizeBytes);
    }
    Set<String> seen = new HashSet<>();
    List<List<TensorInfo>> groups = new ArrayList<>();
    List<TensorInfo> current = new ArrayList<>();
    long used = 0;
    for (TensorSpec spec : specs) {
      if (!seen.add(spec.name())) {
        throw new IllegalArgumentException("tensor \"" + spec.name() + "\" declared twice");
      }
      long size = spec.byteSize();
      if (!current.isEmpty() && used + size > shardSizeBytes) {
        groups.add(current);
        current = new ArrayList<>();
        used = 0;
      }
      current.add(new TensorInfo(spec.name(), spec.dtype(), spec.shape(), used, used + size));
      used += size;
    }
    groups.add(current); // an empty checkpoint is still one (empty) file
    List<Shard> shards = new ArrayList<>();
    for (int i = 0; i < groups.size(); i++) {
      String name = groups.size() == 1
          ? Checkpoint.SINGLE_FILE
          : String.format("model-%05d-of-%05d.safetensors", i + 1, groups.size());
      shards.add(new Shard(name, groups.get(i)));
    }
    return new ShardPlan(shards);
  }

  boolean isSharded() {
    return shards.size() > 1;
  }

  ShardIndex index() {
    Map<String, String> weightMap = new LinkedHashMap<>();
    long total = 0;
    for (Shard shard : shards) {
      for (TensorInfo info : shard.tensors()) {
        weightMap.put(info.name(), shard.fileName());
      }
      total += shard.dataBytes();
    }
    return new ShardIndex(weightMap, total);
  }
}
