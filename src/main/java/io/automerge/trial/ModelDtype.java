package io.automerge.trial;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.automerge.InvalidInputException;
import io.automerge.merge.Devices;
import io.automerge.tensor.DType;
import java.util.List;

/**
 * The dtype a worker keeps its one resident model in (spec field {@code model_dtype}). {@code auto}:
 * float32 on the CPU (PyTorch's CPU kernels are fastest there, and this CPU build aborts on BF16
 * arrays); on a GPU the checkpoint's own dtype, F16 or BF16, so a 7B model takes 14 GB, not 28.
 * Merging is always float32; a merged tensor is cast to this dtype when it is written in.
 */
public final class ModelDtype {
  public static final List<String> NAMES = List.of("auto", "float32", "float16", "bfloat16");

  private ModelDtype() {}

  /** @param checkpoint the dtype of the base's float tensors (its first one) */
  public static DataType resident(String modelDtype, Device device, DType checkpoint, String field) {
    String name = modelDtype == null ? "auto" : modelDtype;
    boolean cpu = Devices.isCpu(device);
    DataType chosen = switch (name) {
      case "auto" -> cpu ? DataType.FLOAT32 : switch (checkpoint) {
        case F16 -> DataType.FLOAT16;
        case BF16 -> DataType.BFLOAT16;
        default -> DataType.FLOAT32;
      };
      case "float32" -> DataType.FLOAT32;
      case "float16" -> DataType.FLOAT16;
      case "bfloat16" -> DataType.BFLOAT16;
      default -> throw new InvalidInputException(field + ": expected one of " + NAMES + " (got " + name + ")");
    };
    if (cpu && chosen == DataType.BFLOAT16) {
      throw new InvalidInputException(field + ": bfloat16 needs a GPU worker (this PyTorch CPU build cannot hold BF16 arrays); use auto, float32 or float16");
    }
    return chosen;
  }

  /** Bytes per parameter of the resident model. */
  public static int bytes(DataType dtype) {
    return dtype.getNumOfBytes();
  }
}
