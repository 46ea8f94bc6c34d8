package io.automerge.merge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link MergeRecipe} as the native YAML recipe: absolute paths, every parameter
 * explicit (per-model ones as lists). Doubles are written in their shortest round-tripping form,
 * so parsing the text gives back the same recipe.
 */
public final class RecipeWriter {
  private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .build());

  private RecipeWriter() {}

  public static String toYaml(MergeRecipe recipe) {
    try {
      return "# the recipe as run by automerge (defaults resolved, absolute paths)\n"
          + YAML.writeValueAsString(tree(recipe));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> tree(MergeRecipe recipe) {
    Map<String, Object> root = new LinkedHashMap<>();
    recipe.baseModel().ifPresent(base -> root.put("base_model", absolute(base)));
    root.put("models", recipe.models().stream().map(RecipeWriter::absolute).toList());
    root.put("seed", recipe.seed());
    recipe.dtype().ifPresent(dtype -> root.put("dtype", dtype.safetensorsName()));
    recipe.computeDtype().ifPresent(dtype -> root.put("compute_dtype", dtype.safetensorsName()));
    recipe.tokenizerSource().ifPresent(source -> root.put("tokenizer_source", "base"));
    List<Object> blocks = new ArrayList<>();
    for (BlockRecipe block : recipe.blocks()) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("name", block.name());
      b.put("tensors", block.tensors());
      b.put("merge_method", block.method().name());
      Map<String, Object> parameters = new LinkedHashMap<>();
      for (ParameterSpec spec : block.method().parameters()) {
        if (spec.perModel()) {
          parameters.put(ParameterResolver.plural(spec.name()), block.params().perModel().get(spec.name()));
        } else {
          parameters.put(spec.name(), block.params().global().get(spec.name()));
        }
      }
      b.put("parameters", parameters);
      blocks.add(b);
    }
    root.put("blocks", blocks);
    return root;
  }

  private static String absolute(Path path) {
    return path.toAbsolutePath().normalize().toString();
  }
}
