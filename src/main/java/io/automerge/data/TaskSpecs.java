package io.automerge.data;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.automerge.InvalidInputException;
import io.automerge.util.SpecErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the {@code tasks:} map of a spec file on its own ({@code automerge evaluate --spec}):
 * the rest of the file may be a whole search spec or absent. Paths resolve against the file's directory.
 */
public final class TaskSpecs {
  private TaskSpecs() {}

  public static Map<String, TaskSpec> load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file + ": spec not found");
    }
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new InvalidInputException(file + ": malformed YAML: " + SpecErrors.firstLine(e.getMessage()));
    }
    JsonNode tasks = root == null ? null : root.get("tasks");
    if (tasks == null || !tasks.isObject() || tasks.isEmpty()) {
      throw new InvalidInputException(file + ": tasks: expected a mapping of task names to declarations");
    }
    ObjectNode wrapped = new ObjectMapper().createObjectNode().set("tasks", tasks);
    Map<String, TaskSpec> raw;
    try {
      raw = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
          .readerFor(new TypeReference<Map<String, Map<String, TaskSpec>>>() {})
          .<Map<String, Map<String, TaskSpec>>>readValue(wrapped).get("tasks");
    } catch (JsonMappingException e) {
      throw new InvalidInputException(SpecErrors.describe(file, e));
    } catch (IOException e) {
      throw new InvalidInputException(file + ": " + SpecErrors.firstLine(e.getMessage()));
    }
    Path dir = file.toAbsolutePath().getParent();
    Map<String, TaskSpec> out = new LinkedHashMap<>();
    raw.forEach((name, spec) -> {
      try {
        TaskType.of(name, spec);
      } catch (InvalidInputException e) {
        throw new InvalidInputException(file + ": " + e.getMessage(), e);
      }
      out.put(name, spec.resolved(dir));
    });
    return out;
  }
}
