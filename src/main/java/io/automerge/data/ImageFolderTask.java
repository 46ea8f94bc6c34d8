package io.automerge.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.automerge.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A declared {@code image_folder} task: a split is a directory with one subdirectory per class,
 * holding PNG or JPEG files. Images are decoded once (class folders in name order, files in
 * name order) and preprocessed per batch as the model's {@code preprocessor_config.json} (or
 * the spec's fields of the same names) says. Metrics as the built-in image task: top1, top5.
 */
public final class ImageFolderTask implements Task {
  private record Images(byte[][] pixels, long[] labels) {}

  private final String name;
  private final ImageProcessing processing;
  private final int side;
  private final int channels;
  private final Map<Split, Images> splits;

  private ImageFolderTask(String name, ImageProcessing processing, int side, int channels, Map<Split, Images> splits) {
    this.name = name;
    this.processing = processing;
    this.side = side;
    this.channels = channels;
    this.splits = splits;
  }

  /**
   * Labels: the spec's {@code labels} (folder to output index), else the model's label2id, else
   * the folder names in sorted order as 0..K-1. Every folder needs a label inside the model's outputs.
   */
  static ImageFolderTask load(String name, TaskSpec spec, Set<Split> wanted, ModelFacts model) {
    String where = "tasks." + name;
    ImageProcessing fromModel = ImageProcessing.ofModel(model.dir());
    ImageProcessing processing = fromModel != null
        ? fromModel.checked(model.channels(), model.dir().resolve(ImageProcessing.FILE).toString())
        : spec.imageProcessing().checked(model.channels(), where);
    Map<Split, Images> splits = new EnumMap<>(Split.class);
    for (Split split : wanted) {
      List<String> dirs = spec.files(split, where);
      String field = where + "." + TaskSpec.splitField(split);
      if (dirs.size() != 1) {
        throw new InvalidInputException(field + ": expected one directory (got " + dirs.size() + ")");
      }
      Path dir = Path.of(dirs.get(0));
      if (!Files.isDirectory(dir)) {
        throw new InvalidInputException(field + ": " + dir + (Files.exists(dir) ? " is not a directory" : " does not exist"));
      }
      Map<String, List<Path>> classes = classFolders(dir, field);
      Map<String, Integer> labels = labels(spec, model, classes.keySet(), field);
      List<byte[]> pixels = new ArrayList<>();
      List<Long> ys = new ArrayList<>();
      classes.forEach((folder, files) -> {
        for (Path file : files) {
          pixels.add(ImagePixels.read(file, processing, model.imageSize(), model.channels()));
          ys.add((long) labels.get(folder));
        }
      });
      if (pixels.isEmpty()) {
        throw new InvalidInputException(field + ": " + dir + " holds no PNG or JPEG image (the split is empty)");
      }
      splits.put(split, new Images(pixels.toArray(byte[][]::new), ys.stream().mapToLong(Long::longValue).toArray()));
    }
    return new ImageFolderTask(name, processing, model.imageSize(), model.channels(), splits);
  }

  private static Map<String, List<Path>> classFolders(Path dir, String field) {
    Map<String, List<Path>> out = new TreeMap<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path sub : entries.filter(Files::isDirectory).sorted().toList()) {
        try (Stream<Path> files = Files.list(sub)) {
          List<Path> images = new ArrayList<>();
          for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList()) {
            String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!(n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"))) {
              throw new InvalidInputException(f + ": not a PNG or JPEG file (class folders hold images only)");
            }
            images.add(f);
          }
          out.put(sub.getFileName().toString(), images);
        }
      }
    } catch (IOException e) {
      throw new InvalidInputException(field + ": " + dir + " cannot be listed (" + e.getMessage() + ")", e);
    }
    if (out.isEmpty()) {
      throw new InvalidInputException(field + ": " + dir + " has no class subdirectories (the split is empty)");
    }
    return out;
  }

  private static Map<String, Integer> labels(TaskSpec spec, ModelFacts model, Set<String> folders, String field) {
    Map<String, Integer> labels;
    String source;
    if (spec.labels() != null) {
      labels = spec.labels();
      source = "tasks labels";
    } else if (!model.label2id().isEmpty()) {
      labels = model.label2id();
      source = "label2id of " + model.dir().resolve("config.json");
    } else {
      labels = new LinkedHashMap<>();
      int i = 0;
      for (String f : folders) {
        labels.put(f, i++);
      }
      source = "sorted folder names";
    }
    for (String folder : folders) {
      Integer label = labels.get(folder);
      if (label == null) {
        throw new InvalidInputException(field + ": class folder '" + folder + "' has no label in " + source + " (labels: " + labels.keySet() + ")");
      }
      if (label < 0 || label >= model.outputs()) {
        throw new InvalidInputException(field + ": class folder '" + folder + "' has label " + label + " (" + source + "), outside the "
            + model.outputs() + " outputs of " + model.describe());
      }
    }
    return labels;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<String> lowerIsBetter() {
    return Set.of();
  }

  @Override
  public int size(Split split) {
    return split(split).labels().length;
  }

  @Override
  public TaskBatch batch(NDManager manager, Split split, int from, int count) {
    Images s = split(split);
    int per = channels * side * side;
    float[] x = new float[count * per];
    float divisor = (float) (1.0 / processing.factor());
    float[] mean = new float[channels];
    float[] std = new float[channels];
    for (int c = 0; c < channels; c++) {
      mean[c] = processing.normalize() ? processing.imageMean().get(processing.imageMean().size() == 1 ? 0 : c).floatValue() : 0f;
      std[c] = processing.normalize() ? processing.imageStd().get(processing.imageStd().size() == 1 ? 0 : c).floatValue() : 1f;
    }
    int plane = side * side;
    for (int i = 0; i < count; i++) {
      byte[] px = s.pixels()[from + i];
      for (int p = 0; p < per; p++) {
        // Dividing by the factor's reciprocal makes the usual 1/255 an exact division by 255.
        float v = processing.rescale() ? (px[p] & 0xFF) / divisor : (px[p] & 0xFF);
        int c = p / plane;
        x[i * per + p] = processing.normalize() ? (v - mean[c]) / std[c] : v;
      }
    }
    long[] y = java.util.Arrays.copyOfRange(s.labels(), from, from + count);
    return new TaskBatch(manager.create(x, new Shape(count, channels, side, side)), manager.create(y, new Shape(count)), count);
  }

  @Override
  public TaskBatch randomTrainBatch(NDManager manager, Random rng, int count) {
    throw new InvalidInputException("task " + name + ": a declared task has no train split");
  }

  @Override
  public MetricAccumulator newMetrics() {
    return new ClassificationMetrics();
  }

  private Images split(Split split) {
    Images s = splits.get(split);
    if (s == null) {
      throw new InvalidInputException("tasks." + name + "." + TaskSpec.splitField(split) + ": not declared");
    }
    return s;
  }
}
