package io.automerge.tensor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.automerge.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safetensors header: an 8-byte little-endian length, then that many bytes of JSON naming
 * each tensor's dtype, shape and data offsets, plus optional string {@code __metadata__}.
 * Parsing checks everything the reference implementation checks, so a file that opens here is
 * one that {@code safetensors} itself would load.
 */
record SafetensorsHeader(Map<String, String> metadata, List<TensorInfo> tensors) {

  static final String METADATA_KEY = "__metadata__";
  /** The reference implementation refuses larger headers; so do we (it guards memory). */
  static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  SafetensorsHeader {
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    tensors = List.copyOf(tensors);
  }

  /**
   * Parses and validates a header; {@code dataBytes} is the length of the data section that
   * follows it. {@code where} prefixes every error (the file name). Tensors come back in
   * data-offset order.
   */
  static SafetensorsHeader parse(String where, byte[] json, long dataBytes) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          where + ": header is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new InvalidInputException(where + ": cannot parse header: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidInputException(where + ": header is not a JSON object");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    List<TensorInfo> tensors = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equals(METADATA_KEY)) {
        readMetadata(where, field.getValue(), metadata);
      } else {
        tensors.add(readTensor(where, field.getKey(), field.getValue()));
      }
    }
    tensors.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
    checkContiguous(where, tensors, dataBytes);
    return new SafetensorsHeader(metadata, tensors);
  }

  private static void readMetadata(String where, JsonNode node, Map<String, String> into) {
    if (node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      throw new InvalidInputException(where + ": " + METADATA_KEY + " is not a JSON object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!entry.getValue().isTextual()) {
        throw new InvalidInputException(
            where + ": " + METADATA_KEY + " value \"" + entry.getKey() + "\" is not a string");
      }
      into.put(entry.getKey(), entry.getValue().textValue());
    }
  }

  private static TensorInfo readTensor(String where, String name, JsonNode node) {
    String at = where + ": tensor \"" + name + "\"";
    if (!node.isObject()) {
      throw new InvalidInputException(at + ": entry is not a JSON object");
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw new InvalidInputException(at + ": missing dtype");
    }
    DType dtype;
    try {
      dtype = DType.fromSafetensors(dtypeNode.textValue());
    } catch (InvalidInputException e) {
      throw new InvalidInputException(at + ": " + e.getMessage());
    }
    long[] shape = longs(at, "shape", node.get("shape"), -1);
    long[] offsets = longs(at, "data_offsets", node.get("data_offsets"), 2);
    if (offsets[1] < offsets[0]) {
      throw new InvalidInputException(
          at + ": data_offsets " + Arrays.toString(offsets) + " end before they begin");
    }
    long expected;
    try {
      expected = Shapes.byteSize(dtype, shape);
    } catch (ArithmeticException e) {
      throw new InvalidInputException(at + ": shape " + Arrays.toString(shape) + " is too large");
    }
    if (offsets[1] - offsets[0] != expected) {
      throw new InvalidInputException(
          at + ": " + dtype + Arrays.toString(shape) + " needs " + expected + " bytes but data_offsets "
              + Arrays.toString(offsets) + " span " + (offsets[1] - offsets[0]));
    }
    return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
  }

  private static long[] longs(String at, String field, JsonNode node, int requiredLength) {
    if (node == null || !node.isArray() || (requiredLength >= 0 && node.size() != requiredLength)) {
      String wanted = requiredLength >= 0 ? "an array of " + requiredLength + " integers" : "an array";
      throw new InvalidInputException(at + ": " + field + " is missing or not " + wanted);
    }
    long[] values = new long[node.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode value = node.get(i);
      if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
        throw new InvalidInputException(
            at + ": " + field + " holds " + value + ", not a non-negative integer");
      }
      values[i] = value.longValue();
    }
    return values;
  }

  /** Data must be packed: no holes, no overlaps, nothing after the last tensor. */
  private static void checkContiguous(String where, List<TensorInfo> sorted, long dataBytes) {
    long expectedBegin = 0;
    for (TensorInfo info : sorted) {
      if (info.begin() != expectedBegin) {
        throw new InvalidInputException(
            where + ": tensor \"" + info.name() + "\" data begins at " + info.begin()
                + " but the previous tensor ends at " + expectedBegin + " (overlap or hole)");
      }
      expectedBegin = info.end();
    }
    if (expectedBegin != dataBytes) {
      throw new InvalidInputException(
          where + ": header describes " + expectedBegin + " data bytes but the file holds "
              + dataBytes + " (truncated or trailing bytes)");
    }
  }

  /**
   * The header bytes for these tensors (offsets already assigned, in order), without the length
   * prefix, padded with spaces so that the data section starts 8-byte aligned.
   */
  byte[] encode() {
    ObjectNode root = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = root.putObject(METADATA_KEY);
      // Sorted keys: the same inputs give the same bytes, so checksums of outputs are stable.
      new TreeMap<>(metadata).forEach(meta::put);
    }
    for (TensorInfo info : tensors) {
      ObjectNode entry = root.putObject(info.name());
      entry.put("dtype", info.dtype().safetensorsName());
      ArrayNode shape = entry.putArray("shape");
      for (long dim : info.shape()) {
        shape.add(dim);
      }
      entry.putArray("data_offsets").add(info.begin()).add(info.end());
    }
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a safetensors header", e);
    }
    int padded = (json.length + 7) / 8 * 8;
    byte[] out = Arrays.copyOf(json, padded);
    Arrays.fill(out, json.length, padded, (byte) ' ');
    return out;
  }
}
