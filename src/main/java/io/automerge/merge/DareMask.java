package io.automerge.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * DARE's Bernoulli(density) keep-mask, generated in Java from {@link MaskKey#streamSeed} and
 * uploaded: device RNGs differ between CPU and CUDA, a Java stream does not. Each 64-bit draw
 * gives two 32-bit uniforms u (high half first); an element is kept when u < density * 2^32.
 */
final class DareMask {
  private static final int CHUNK = 1 << 16;

  private DareMask() {}

  static NDArray keepMask(NDManager scope, Shape shape, long streamSeed, double density) {
    int n = HostBuffers.checkedSize(shape, "DARE mask");
    return HostBuffers.fillOnHost(scope, shape, DataType.BOOLEAN, out -> fill(out, n, streamSeed, density));
  }

  /** n bytes of 0/1 in a new buffer; for tests that check the stream itself. */
  static ByteBuffer keepBytes(int n, long streamSeed, double density) {
    ByteBuffer out = ByteBuffer.allocate(n);
    fill(out, n, streamSeed, density);
    return out.flip();
  }

  private static void fill(ByteBuffer out, int n, long streamSeed, double density) {
    long threshold = (long) Math.floor(density * 4294967296.0); // density 1 keeps everything
    SplittableRandom random = new SplittableRandom(streamSeed);
    byte[] chunk = new byte[CHUNK];
    int done = 0;
    while (done < n) {
      int len = Math.min(CHUNK, n - done);
      int i = 0;
      for (; i + 1 < len; i += 2) {
        long bits = random.nextLong();
        chunk[i] = (bits >>> 32) < threshold ? (byte) 1 : 0;
        chunk[i + 1] = (bits & 0xffffffffL) < threshold ? (byte) 1 : 0;
      }
      if (i < len) {
        chunk[i] = (random.nextLong() >>> 32) < threshold ? (byte) 1 : 0;
      }
      out.put(chunk, 0, len);
      done += len;
    }
  }
}
