package io.automerge.trial;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.automerge.InvalidInputException;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.Architectures;
import io.automerge.merge.Devices;
import io.automerge.model.ModelCheckpoints;
import io.automerge.tensor.Checkpoint;
import io.automerge.tensor.DType;
import io.automerge.tensor.TensorInfo;
import io.automerge.tensor.TensorSpec;
import io.automerge.tensor.Tensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The one model a worker keeps on its device for a whole search, in its resident dtype
 * ({@link ModelDtype}), built from the base's config.json. Tensors are written in one at a time
 * from checkpoint bytes: decoded to float32 on the host in memory the engine owns, uploaded, cast
 * and copied into the parameter, and every temporary freed before the next tensor. Nothing else
 * of the model's size is held.
 */
public final class ResidentModel {
  private final ArchitectureModel model;
  private final NDManager manager;

  private ResidentModel(ArchitectureModel model, NDManager manager) {
    this.model = model;
    this.manager = manager;
  }

  /** The base's architecture in {@code manager} (its device), in {@code dtype}, holding the base's weights. */
  public static ResidentModel load(Checkpoint base, DataType dtype, NDManager manager) {
    Path config = base.configJson().orElseThrow(() -> new InvalidInputException(base.root() + ": no config.json beside the weights"));
    ArchitectureModel model = frozen(Architectures.build(ModelCheckpoints.readJson(config), config.toString()).initialize(manager, dtype));
    ResidentModel resident = new ResidentModel(model, manager);
    resident.loadAll(base);
    return resident;
  }

  /**
   * Turns off gradients of every parameter. PyTorch's grad mode is per thread and on by default,
   * and the actors merge on one thread and evaluate on another: without this, writing a parameter
   * in place fails there ("a leaf Variable that requires grad...") and every forward pass would
   * record a graph nobody uses (evaluation runs without autograd).
   */
  public static ArchitectureModel frozen(ArchitectureModel model) {
    model.parametersByName().values().forEach(p -> p.getArray().setRequiresGradient(false));
    return model;
  }

  public ArchitectureModel model() {
    return model;
  }

  public DataType dtype() {
    return model.parametersByName().values().iterator().next().getArray().getDataType();
  }

  /** Parameters times the bytes of a float32 copy: what one more model copy would cost in float32. */
  public long float32Bytes() {
    return model.parameterCount() * 4;
  }

  public boolean holds(String tensor) {
    return model.parametersByName().containsKey(tensor);
  }

  /** Writes every parameter from {@code checkpoint} (the base, or a source to score it), checking names and shapes. */
  public void loadAll(Checkpoint checkpoint) {
    for (Map.Entry<String, Parameter> e : model.parametersByName().entrySet()) {
      String name = e.getKey();
      if (!checkpoint.contains(name)) {
        throw new InvalidInputException(checkpoint.root() + ": missing tensor " + name + " (the base model has it)");
      }
      TensorInfo info = checkpoint.info(name);
      Shape expected = e.getValue().getArray().getShape();
      if (!Arrays.equals(info.shape(), expected.getShape()) || !info.dtype().isFloat()) {
        throw new InvalidInputException(checkpoint.root() + ": tensor " + name + " is " + info.dtype() + " " + Arrays.toString(info.shape())
            + ", the base model's is float " + Arrays.toString(expected.getShape()));
      }
      write(info.spec(), checkpoint.bytes(name));
    }
  }

  /** Writes one tensor's bytes (of {@code spec}'s dtype and shape) into the parameter of that name. */
  public void write(TensorSpec spec, ByteBuffer bytes) {
    NDArray target = model.parametersByName().get(spec.name()).getArray();
    TensorInfo info = new TensorInfo(spec.name(), spec.dtype(), spec.shape(), 0, bytes.remaining());
    if (decodesInPlace(target, info)) {
      // float32 on the CPU: decode straight into the parameter's memory (parameters are contiguous), no temporary
      Tensors.decodeInto(info, bytes, target.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
      return;
    }
    // elsewhere (a GPU, another dtype): decode on the host, upload, cast and copy, one tensor at a time
    try (NDManager scope = manager.newSubManager()) {
      ModelCheckpoints.write(target, Tensors.toFloat32(scope, info, bytes));
    }
  }

  /**
   * The parameter's own memory as float32 values, to merge into (a float32 model on the CPU), or
   * null where the model is elsewhere or in another dtype (then {@link #write} uploads and casts).
   */
  public java.nio.FloatBuffer float32View(String name) {
    NDArray target = model.parametersByName().get(name).getArray();
    if (!Devices.isCpu(target.getDevice()) || target.getDataType() != DataType.FLOAT32) {
      return null;
    }
    return target.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
  }

  private static boolean decodesInPlace(NDArray target, TensorInfo info) {
    return Devices.isCpu(target.getDevice()) && target.getDataType() == DataType.FLOAT32
        && (info.dtype() == DType.F32 || info.dtype() == DType.BF16 || info.dtype() == DType.F16);
  }

  /** Writes a float32 array (any device) into the parameter {@code name}. */
  public void write(String name, NDArray float32) {
    NDArray target = model.parametersByName().get(name).getArray();
    if (float32.getDevice().equals(target.getDevice())) {
      ModelCheckpoints.write(target, float32);
      return;
    }
    try (NDManager scope = manager.newSubManager()) {
      NDArray moved = float32.toDevice(target.getDevice(), true);
      moved.attach(scope);
      ModelCheckpoints.write(target, moved);
    }
  }
}
