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
 * A {@link Stream} hands the mask out slice by slice; the bytes do not depend on the slicing as
 * long as every slice but the last has an even length.
 */
final class DareMask {
  private static final int CHUNK = 1 << 16;

  private DareMask() {}

  /** The mask of one (tensor, model), consumed front to back. */
  static final class Stream {
    private final SplittableRandom random;
    private final long threshold;
    private final byte[] chunk = new byte[CHUNK];

    Stream(long streamSeed, double density) {
      this.random = new SplittableRandom(streamSeed);
      this.threshold = (long) Math.floor(density * 4294967296.0); // density 1 keeps everything
    }

    /** The next {@code length} mask elements as a bool array of {@code scope}. */
    NDArray next(NDManager scope, int length) {
      return HostBuffers.fillOnHost(scope, new Shape(length), DataType.BOOLEAN, out -> fill(out, length));
    }

    void fill(ByteBuffer out, int n) {
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

  /** The whole mask of a tensor at once. */
  static NDArray keepMask(NDManager scope, Shape shape, long streamSeed, double density) {
    int n = HostBuffers.checkedSize(shape, "DARE mask");
    Stream stream = new Stream(streamSeed, density);
    return HostBuffers.fillOnHost(scope, shape, DataType.BOOLEAN, out -> stream.fill(out, n));
  }

  /** n bytes of 0/1 in a new buffer; for tests that check the stream itself. */
  static ByteBuffer keepBytes(int n, long streamSeed, double density) {
    ByteBuffer out = ByteBuffer.allocate(n);
    new Stream(streamSeed, density).fill(out, n);
    return out.flip();
  }
}
