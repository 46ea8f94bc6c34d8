package io.automerge.merge;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.automerge.tensor.Checkpoint;
import io.automerge.tensor.DType;
import io.automerge.tensor.TensorInfo;
import io.automerge.tensor.Tensors;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

/**
 * Loading checkpoint tensors as float32 on a device and encoding results, without copies where
 * possible: a float32 tensor on CPU is wrapped straight over its file mapping (page cache, not
 * anonymous memory; never written to), and a float32 result is written from its own storage.
 * Other dtypes go through {@link Tensors}.
 */
final class TensorIO {
  private TensorIO() {}

  /** The tensor as float32 on {@code scope}'s device; read-only (it may alias the file). */
  static NDArray loadFloat32(NDManager scope, Checkpoint checkpoint, String name) {
    TensorInfo info = checkpoint.info(name);
    ByteBuffer bytes = checkpoint.bytes(name);
    Device device = scope.getDevice();
    if (bytes instanceof MappedByteBuffer mapped) {
      // One sequential read-ahead of the whole tensor: slice-wise merging touches the inputs in
      // small interleaved steps, which the kernel's per-fault read-ahead serves poorly.
      mapped.load();
    }
    if (info.dtype() == DType.F32 && bytes.isDirect() && aligned(bytes)) {
      return HostBuffers.upload(scope, bytes, new Shape(info.shape()), DataType.FLOAT32);
    }
    if (Devices.isCpu(device)) {
      return Tensors.toFloat32(scope, info, bytes);
    }
    try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
      NDArray onDevice = Tensors.toFloat32(host, info, bytes).toDevice(device, true);
      onDevice.attach(scope);
      return onDevice;
    }
  }

  /** The float32 result as little-endian bytes of {@code target}. */
  static ByteBuffer encode(NDArray float32, DType target) {
    if (target == DType.F32 && Devices.isCpu(float32.getDevice())) {
      return HostBuffers.view(float32);
    }
    return Tensors.encode(float32, target);
  }

  /** float32 values rounded to {@code dtype} (as stored in it) and back to float32. */
  static NDArray rounded(NDManager scope, NDArray float32, DType dtype) {
    ByteBuffer encoded = Tensors.encode(float32, dtype);
    io.automerge.tensor.TensorInfo info = new io.automerge.tensor.TensorInfo(
        "rounded", dtype, float32.getShape().getShape(), 0, encoded.remaining());
    return Tensors.toFloat32(scope, info, encoded);
  }

  private static boolean aligned(ByteBuffer bytes) {
    // The mapping's address is not public; a 4-aligned file offset gives a 4-aligned address
    // because mappings start on page boundaries. Misaligned tensors take the copying path.
    return bytes.alignmentOffset(0, 4) == 0;
  }
}
