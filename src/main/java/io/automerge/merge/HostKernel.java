package io.automerge.merge;

import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;

/**
 * A technique's float32 pass in plain Java over host memory. The NDArray path on CPU runs it
 * over tensor views, and {@link HostMerge} runs it straight over the file mappings (BF16/F16 widened as
 * read, {@link FloatInput}) into one reused output buffer, so both give the same bytes.
 */
interface HostKernel {

  /** Whether the host pass implements these parameters (otherwise the PyTorch path runs). */
  boolean hostPass(ResolvedParams params);

  /**
   * Merges one tensor: {@code out} gets shape.size() floats.
   *
   * @param base the base's values, or null when the technique needs no base
   * @param sources the source models' values, read only
   */
  void mergeOnHost(FloatInput base, FloatInput[] sources, Shape shape, ResolvedParams params, MaskKey key,
      FloatBuffer out);
}
