package io.automerge.merge;

import io.automerge.InvalidInputException;
import io.automerge.tensor.DType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A merge fully resolved: paths, seed, output dtype override and blocks with every parameter set.
 * Build it from a file with {@link RecipeParser}, or in code with {@link #builder()}; render it
 * with {@link RecipeWriter} (merging the rendered file again gives the same bytes).
 *
 * @param baseModel the base checkpoint (required by every technique but linear)
 * @param models the source checkpoints, in weight order
 * @param seed the seed of DARE masks
 * @param dtype the dtype of merged float tensors; empty keeps each base tensor's dtype
 * @param computeDtype inputs are rounded to this dtype before the (float32) merge, as mergekit's
 *     {@code dtype} loads them; empty uses them as stored
 * @param tokenizerSource the model whose tokenizer files are copied beside the merge, or empty
 * @param blocks tried in order; each tensor goes to the first whose regex finds a match
 */
public record MergeRecipe(
    Optional<Path> baseModel, List<Path> models, long seed, Optional<DType> dtype,
    Optional<DType> computeDtype, Optional<Path> tokenizerSource, List<BlockRecipe> blocks) {

  public MergeRecipe {
    models = List.copyOf(models);
    blocks = List.copyOf(blocks);
    if (models.isEmpty()) {
      throw new InvalidInputException("models: at least one source model is required");
    }
    if (blocks.isEmpty()) {
      throw new InvalidInputException("blocks: at least one block is required");
    }
    if (dtype.isPresent() && !dtype.get().isFloat()) {
      throw new InvalidInputException("dtype: " + dtype.get() + " is not a float type");
    }
    if (computeDtype.isPresent() && !computeDtype.get().isFloat()) {
      throw new InvalidInputException("compute_dtype: " + computeDtype.get() + " is not a float type");
    }
    for (int i = 0; i < blocks.size(); i++) {
      BlockRecipe block = blocks.get(i);
      String field = "blocks[" + i + "] (" + block.name() + ")";
      if (models.size() < block.method().minModels()) {
        throw new InvalidInputException(field + ".merge_method: " + block.method().name()
            + " needs at least " + block.method().minModels() + " models, the recipe has "
            + models.size());
      }
      if (models.size() > block.method().maxModels()) {
        throw new InvalidInputException(field + ".merge_method: " + block.method().name()
            + " takes exactly " + block.method().maxModels() + " models, the recipe has " + models.size()
            + (block.method() == Slerp.INSTANCE ? " (mergekit: the base and one other model)" : ""));
      }
      if (block.method().needsBase() && baseModel.isEmpty()) {
        throw new InvalidInputException(field + ".merge_method: " + block.method().name()
            + " needs base_model");
      }
      if (!block.params().perModel().isEmpty() && block.params().modelCount() != models.size()) {
        throw new InvalidInputException(field + ".parameters: values for "
            + block.params().modelCount() + " models, the recipe has " + models.size());
      }
    }
  }

  /** The checkpoint whose non-float tensors, dtypes and config are copied: base, else model 1. */
  public Path referenceModel() {
    return baseModel.orElse(models.get(0));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a recipe in code; parameters are resolved (and checked) as a recipe file's are. */
  public static final class Builder {
    private Path baseModel;
    private final List<Path> models = new ArrayList<>();
    private long seed;
    private DType dtype;
    private DType computeDtype;
    private Path tokenizerSource;
    private final List<BlockRecipe> blocks = new ArrayList<>();

    public Builder baseModel(Path path) {
      this.baseModel = path;
      return this;
    }

    public Builder model(Path path) {
      models.add(path);
      return this;
    }

    public Builder models(List<Path> paths) {
      models.addAll(paths);
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder dtype(DType dtype) {
      this.dtype = dtype;
      return this;
    }

    public Builder computeDtype(DType dtype) {
      this.computeDtype = dtype;
      return this;
    }

    public Builder tokenizerSource(Path model) {
      this.tokenizerSource = model;
      return this;
    }

    public Builder block(BlockRecipe block) {
      blocks.add(block);
      return this;
    }

    /** Adds a block; call after the models are set (per-model values are checked against them). */
    public Builder block(String name, String tensors, String method, Map<String, Object> parameters) {
      MergeMethod found = MergeMethods.find(method).orElseThrow(() -> new InvalidInputException(
          "blocks[" + blocks.size() + "].merge_method: unknown merge method \"" + method
              + "\" (known: " + MergeMethods.names() + ")"));
      String field = "blocks[" + blocks.size() + "].parameters";
      blocks.add(new BlockRecipe(name, tensors, found,
          ParameterResolver.resolve(found, parameters, Map.of(), models.size(), field)));
      return this;
    }

    public MergeRecipe build() {
      return new MergeRecipe(Optional.ofNullable(baseModel), models, seed,
          Optional.ofNullable(dtype), Optional.ofNullable(computeDtype), Optional.ofNullable(tokenizerSource), blocks);
    }
  }
}
