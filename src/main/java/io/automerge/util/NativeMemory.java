package io.automerge.util;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * Hands back to the OS the memory glibc's malloc keeps after native frees. PyTorch's CPU tensors
 * come from malloc; tensors of a few MB land in per-thread arenas, and freeing a whole temporary
 * model (the one segmentation traces) leaves its pages resident for the process. {@code
 * malloc_trim(0)} releases the free pages of every arena. Best effort: a no-op off glibc.
 */
public final class NativeMemory {
  private static final Function MALLOC_TRIM = find();

  private NativeMemory() {}

  private static Function find() {
    try {
      return NativeLibrary.getInstance("c").getFunction("malloc_trim");
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return null; // not glibc (musl, macOS): nothing to trim this way
    }
  }

  /** Releases malloc's free pages; true when it did release some. */
  public static boolean trim() {
    if (MALLOC_TRIM == null) {
      return false;
    }
    return MALLOC_TRIM.invokeInt(new Object[] {0}) == 1;
  }
}
