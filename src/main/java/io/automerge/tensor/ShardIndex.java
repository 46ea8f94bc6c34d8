package io.automerge.tensor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.automerge.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** {@code model.safetensors.index.json}: which shard file holds each tensor. */
record ShardIndex(Map<String, String> weightMap, long totalSize) {

  private static final ObjectMapper JSON = new ObjectMapper();

  ShardIndex {
    weightMap = Collections.unmodifiableMap(new LinkedHashMap<>(weightMap));
  }

  /** Shard file names, sorted (Hugging Face names sort in shard order). */
  List<String> shardFiles() {
    return List.copyOf(new TreeSet<>(weightMap.values()));
  }

  static ShardIndex read(Path indexFile) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(indexFile));
    } catch (IOException e) {
      throw new InvalidInputException(indexFile + ": cannot read shard index: " + e.getMessage(), e);
    }
    JsonNode weightMap = root == null ? null : root.get("weight_map");
    if (weightMap == null || !weightMap.isObject()) {
      throw new InvalidInputException(indexFile + ": shard index has no weight_map object");
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String shard = entry.getValue().isTextual() ? entry.getValue().textValue() : "";
      // Shards must sit beside the index: a path elsewhere is refused, not followed.
      if (shard.isEmpty() || shard.contains("/") || shard.contains("\\") || shard.equals("..")) {
        throw new InvalidInputException(
            indexFile + ": weight_map entry \"" + entry.getKey() + "\" does not name a shard file beside the index");
      }
      map.put(entry.getKey(), shard);
    }
    JsonNode total = root.path("metadata").path("total_size");
    return new ShardIndex(map, total.canConvertToLong() ? total.longValue() : -1);
  }

  /** The index as Hugging Face writes it: total size and a name-sorted weight map. */
  byte[] encode() {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("metadata").put("total_size", totalSize);
    ObjectNode map = root.putObject("weight_map");
    new TreeMap<>(weightMap).forEach(map::put);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a shard index", e);
    }
  }
}
