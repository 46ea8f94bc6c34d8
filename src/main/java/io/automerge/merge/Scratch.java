package io.automerge.merge;

/** Per-thread slice buffers, so slice-wise passes do not allocate per slice. */
final class Scratch {
  private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[0][]);

  private Scratch() {}

  /** {@code count} buffers of at least {@code length} floats, owned by this thread until its next call. */
  static float[][] floats(int count, int length) {
    float[][] buffers = BUFFERS.get();
    if (buffers.length < count || buffers[0].length < length) {
      buffers = new float[Math.max(count, buffers.length)][Math.max(length, buffers.length == 0 ? 0 : buffers[0].length)];
      BUFFERS.set(buffers);
    }
    return buffers;
  }
}
