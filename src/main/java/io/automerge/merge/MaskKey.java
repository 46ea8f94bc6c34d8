package io.automerge.merge;

import java.nio.charset.StandardCharsets;

/**
 * Names the random stream of a DARE mask. The stream depends only on (seed, tensor name, model
 * index) -- never on the device, the thread or the order in which tensors are merged -- so the
 * same recipe gives the same bytes everywhere.
 */
public record MaskKey(long seed, String tensorName) {

  public MaskKey {
    if (tensorName == null) {
      throw new NullPointerException("tensorName");
    }
  }

  /** The 64-bit seed of model {@code modelIndex}'s mask for this tensor. */
  public long streamSeed(int modelIndex) {
    long nameHash = fnv1a64(tensorName.getBytes(StandardCharsets.UTF_8));
    return mix64(mix64(mix64(seed) ^ nameHash) + modelIndex + 1);
  }

  private static long fnv1a64(byte[] bytes) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : bytes) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return hash;
  }

  /** SplitMix64's finalizer: a bijective avalanche, so nearby inputs give unrelated seeds. */
  private static long mix64(long z) {
    z += 0x9e3779b97f4a7c15L;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
