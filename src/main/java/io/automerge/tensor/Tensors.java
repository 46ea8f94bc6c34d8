package io.automerge.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * The boundary between checkpoint bytes and DJL arrays. Arrays are always built on a fresh copy of
 * the bytes, in memory the engine owns (freed when the array closes): PyTorch wraps a direct buffer
 * without copying, and a tensor on a read-only file map would crash the first in-place operation.
 */
public final class Tensors {
  private Tensors() {}

  static {
    // DJL's buffers are native-order and safetensors is little-endian: we copy bytes as they are.
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new ExceptionInInitializerError("big-endian platforms are not supported");
    }
  }

  /**
   * Decodes float bytes of {@code info}'s dtype (F32, BF16 or F16) straight into {@code out}, a
   * float32 view of {@code info.numel()} elements (a CPU parameter's own memory): no temporary.
   */
  public static void decodeInto(TensorInfo info, ByteBuffer bytes, FloatBuffer out) {
    checkSize(info, bytes);
    int n = Math.toIntExact(info.numel());
    switch (info.dtype()) {
      case F32 -> out.put(0, bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer(), 0, n);
      case BF16 -> {
        ShortBuffer in = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        for (int i = 0; i < n; i++) {
          out.put(i, FloatBits.bf16ToFloat(in.get(i)));
        }
      }
      case F16 -> {
        ShortBuffer in = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        for (int i = 0; i < n; i++) {
          out.put(i, FloatBits.halfToFloat(in.get(i)));
        }
      }
      default -> throw new IllegalArgumentException("tensor \"" + info.name() + "\": " + info.dtype() + " is not decoded in place");
    }
  }

  /** A float32 array with the tensor's shape, widened from F16/BF16/F64 (or cast from integers). */
  public static NDArray toFloat32(NDManager manager, TensorInfo info, ByteBuffer bytes) {
    checkSize(info, bytes);
    Shape shape = new Shape(info.shape());
    if (info.dtype() == DType.BF16) {
      return filled(manager, shape, DataType.FLOAT32, view -> {
        ShortBuffer in = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        FloatBuffer out = view.asFloatBuffer();
        for (int i = 0, n = in.remaining(); i < n; i++) {
          out.put(i, FloatBits.bf16ToFloat(in.get(i)));
        }
      });
    }
    NDArray loaded = load(manager, info, bytes);
    if (loaded.getDataType() == DataType.FLOAT32) {
      return loaded;
    }
    try (loaded) {
      return loaded.toType(DataType.FLOAT32, false);
    }
  }

  /** An array in the tensor's own dtype; BF16, which DJL cannot hold here, comes back float32. */
  public static NDArray load(NDManager manager, TensorInfo info, ByteBuffer bytes) {
    if (info.dtype() == DType.BF16) {
      return toFloat32(manager, info, bytes);
    }
    checkSize(info, bytes);
    return filled(manager, new Shape(info.shape()), info.dtype().toDjl(), view -> view.put(bytes.duplicate()));
  }

  /**
   * An array allocated by the engine and filled through a writable view of its own memory, on the
   * host, then moved to the manager's device. Never a direct ByteBuffer: DJL would wrap one without
   * copying and its memory would wait for the garbage collector long after the array is closed
   * (direct memory of a whole model per pass, the export's "Cannot reserve direct buffer memory").
   */
  private static NDArray filled(NDManager manager, Shape shape, DataType type, java.util.function.Consumer<ByteBuffer> fill) {
    if (manager.getDevice().getDeviceType().equals(ai.djl.Device.Type.CPU)) {
      NDArray array = manager.create(shape, type);
      fill.accept(array.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN));
      return array;
    }
    try (NDManager host = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      NDArray array = host.create(shape, type);
      fill.accept(array.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN));
      NDArray onDevice = array.toDevice(manager.getDevice(), true);
      onDevice.attach(manager);
      return onDevice;
    }
  }

  /** The array's elements as little-endian bytes of {@code target}, positioned at 0. */
  public static ByteBuffer encode(NDArray array, DType target) {
    if (target == DType.BF16) {
      // Narrow in Java: DJL would need a BF16 array, which aborts this PyTorch build.
      NDArray asFloat = array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
      try {
        // a view of the array's memory on CPU (a host copy from a GPU): no heap copy of the floats
        FloatBuffer in = asFloat.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
        ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(in.remaining(), 2)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0, n = in.remaining(); i < n; i++) {
          out.putShort(FloatBits.floatToBf16(in.get(i)));
        }
        return out.flip();
      } finally {
        if (asFloat != array) {
          asFloat.close();
        }
      }
    }
    DataType djl = target.toDjl();
    NDArray converted = array.getDataType() == djl ? array : array.toType(djl, false);
    try {
      ByteBuffer raw = converted.toByteBuffer();
      return ByteBuffer.allocate(raw.remaining()).order(ByteOrder.LITTLE_ENDIAN).put(raw).flip();
    } finally {
      if (converted != array) {
        converted.close();
      }
    }
  }

  /** Float values as little-endian bytes of {@code target} (see {@link ElementCodec}). */
  public static ByteBuffer encode(float[] values, DType target) {
    return ElementCodec.encode(values, target);
  }

  private static void checkSize(TensorInfo info, ByteBuffer bytes) {
    if (bytes.remaining() != info.byteSize()) {
      throw new IllegalArgumentException(
          "tensor \"" + info.name() + "\" needs " + info.byteSize() + " bytes, got " + bytes.remaining());
    }
  }
}
