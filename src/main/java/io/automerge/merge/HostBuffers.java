package io.automerge.merge;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

/** Moves data computed in Java onto a tensor's device, and tensor data into Java. */
final class HostBuffers {
  private HostBuffers() {}

  /**
   * Wraps a direct buffer as an array of {@code scope} (zero-copy on CPU: DJL keeps the buffer
   * alive as long as the array), copying it to the scope's device when that is not the CPU.
   */
  static NDArray upload(NDManager scope, ByteBuffer direct, Shape shape, DataType type) {
    Device device = scope.getDevice();
    if (Devices.isCpu(device)) {
      return scope.create(direct, shape, type);
    }
    try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
      NDArray onHost = host.create(direct, shape, type);
      NDArray onDevice = onHost.toDevice(device, true);
      onDevice.attach(scope);
      return onDevice;
    }
  }

  /**
   * An array of {@code scope} whose bytes Java writes: allocated by the engine (so its memory is
   * freed when the array closes, unlike a direct buffer that waits for the garbage collector),
   * filled on the host through a writable view, then moved to the scope's device if needed.
   */
  static NDArray fillOnHost(NDManager scope, Shape shape, DataType type, Consumer<ByteBuffer> fill) {
    Device device = scope.getDevice();
    if (Devices.isCpu(device)) {
      NDArray array = scope.create(shape, type);
      fill.accept(view(array));
      return array;
    }
    try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
      NDArray array = host.create(shape, type);
      fill.accept(view(array));
      NDArray onDevice = array.toDevice(device, true);
      onDevice.attach(scope);
      return onDevice;
    }
  }

  /** The array's bytes, little-endian: a view on CPU, a host copy from other devices. */
  static ByteBuffer view(NDArray array) {
    ByteBuffer bytes = Devices.isCpu(array.getDevice()) ? array.toByteBuffer(true) : array.toByteBuffer();
    return bytes.order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The array's values as little-endian floats: a view on CPU (read-only use), a copy elsewhere. */
  static java.nio.FloatBuffer floats(NDArray float32) {
    return view(float32).asFloatBuffer();
  }

  /**
   * The row length when a tensor is viewed as rows: a 1-D tensor is one row, a tensor of rank
   * two or more is [shape[0], rest].
   */
  static int rowLength(Shape shape) {
    long n = shape.size();
    if (shape.dimension() < 2 || shape.get(0) == 0) {
      return (int) Math.max(1, n);
    }
    return (int) Math.max(1, n / shape.get(0));
  }

  static int checkedSize(Shape shape, String what) {
    long size = shape.size();
    if (size > Integer.MAX_VALUE - 8) {
      throw new UnsupportedOperationException(
          what + ": tensors over 2^31 elements are not supported (" + size + " elements)");
    }
    return (int) size;
  }
}
