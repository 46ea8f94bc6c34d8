package io.automerge.search;

import io.automerge.merge.MergeMethods;
import io.automerge.merge.ParameterSpec.Range;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link SearchSpace} with the paper's techniques and the declared ranges; simplex weights. */
public final class SearchSpaceBuilder {
  private List<String> blocks = List.of();
  private int models = 2;
  private List<String> techniques = MergeMethods.paperNames();
  private boolean freeWeights;
  private double weightMin = 0.0;
  private double weightMax = 1.0;
  private final Map<String, Range> ranges = new LinkedHashMap<>();

  public SearchSpaceBuilder blocks(List<String> blocks) {
    this.blocks = new ArrayList<>(blocks);
    return this;
  }

  public SearchSpaceBuilder models(int models) {
    this.models = models;
    return this;
  }

  public SearchSpaceBuilder techniques(List<String> techniques) {
    this.techniques = new ArrayList<>(techniques);
    return this;
  }

  /** Search {@code parameter} over [min, max] in every technique that declares it (on request: switch it on). */
  public SearchSpaceBuilder range(String parameter, double min, double max) {
    this.ranges.put(parameter, Range.closed(min, max));
    return this;
  }

  public SearchSpaceBuilder density(double min, double max) {
    return range(BlockChoice.DENSITY, min, max);
  }

  /** Search lambda in [min, max] for the techniques that declare it. */
  public SearchSpaceBuilder lambda(double min, double max) {
    return range(BlockChoice.LAMBDA, min, max);
  }

  /** One weight per model in [min, max] instead of the simplex. */
  public SearchSpaceBuilder freeWeights(double min, double max) {
    this.freeWeights = true;
    this.weightMin = min;
    this.weightMax = max;
    return this;
  }

  public SearchSpace build() {
    return new SearchSpace(blocks, models, techniques, freeWeights, weightMin, weightMax, ranges);
  }
}
