package io.automerge.merge;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.automerge.InvalidInputException;

/** The {@code --device} option: "cpu", "gpu:N" ("gpu" is gpu:0); by default the first GPU if any. */
public final class Devices {
  private Devices() {}

  public static boolean isCpu(Device device) {
    return Device.Type.CPU.equals(device.getDeviceType());
  }

  public static Device defaultDevice() {
    return Engine.getInstance().getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
  }

  /** Parses a device name; null or empty means {@link #defaultDevice()}. */
  public static Device parse(String name) {
    if (name == null || name.isBlank()) {
      return defaultDevice();
    }
    String lower = name.trim().toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("cpu")) {
      return Device.cpu();
    }
    if (lower.equals("gpu") || lower.startsWith("gpu:")) {
      int index;
      try {
        index = lower.equals("gpu") ? 0 : Integer.parseInt(lower.substring(4));
      } catch (NumberFormatException e) {
        throw new InvalidInputException("--device: \"" + name + "\" is not cpu or gpu:N");
      }
      int count = Engine.getInstance().getGpuCount();
      if (index < 0 || index >= count) {
        throw new InvalidInputException("--device: " + name + " does not exist (this machine has "
            + count + " GPU" + (count == 1 ? "" : "s") + ")");
      }
      return Device.gpu(index);
    }
    throw new InvalidInputException("--device: \"" + name + "\" is not cpu or gpu:N");
  }
}
