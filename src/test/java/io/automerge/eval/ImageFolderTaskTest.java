package io.automerge.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.automerge.data.FashionMnist;
import io.automerge.data.ImageProcessing;
import io.automerge.data.Split;
import io.automerge.data.Task;
import io.automerge.data.TaskSpecs;
import io.automerge.data.Tasks;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.ModelCheckpoints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image folder written from the Fashion-MNIST test set (PNG, one folder per class of `tops`)
 * scores exactly as the built-in fashion-mnist:tops: through a preprocessor_config.json and
 * label2id in the checkpoint, and through the spec's fields of the same names.
 */
class ImageFolderTaskTest {
  private static final Set<Integer> TOPS = Set.of(0, 2, 3, 4, 6);
  @TempDir static Path dir;
  private static Path folder;
  private static EvaluationResult builtIn;

  @BeforeAll
  static void writeFolderAndScoreTheBuiltInTask() throws Exception {
    folder = dir.resolve("tops-test");
    FashionMnist.Images test = FashionMnist.test(FashionMnist.dir());
    int side = FashionMnist.SIDE;
    for (int i = 0; i < test.count(); i++) {
      int label = test.labels()[i];
      if (!TOPS.contains(label)) {
        continue;
      }
      BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
      image.getRaster().setDataElements(0, 0, side, side, java.util.Arrays.copyOfRange(test.pixels(), i * side * side, (i + 1) * side * side));
      Path file = Files.createDirectories(folder.resolve(FashionMnist.LABELS.get(label))).resolve(String.format("%05d.png", i));
      ImageIO.write(image, "png", file.toFile());
    }
    try (NDManager m = NDManager.newBaseManager()) {
      ArchitectureModel model = ModelCheckpoints.load(TinyCctPair.shared().tops(), m);
      builtIn = Evaluation.evaluate(model, Tasks.parse(TinyCctPair.TOPS), Split.TEST, 0, 250, m);
    }
  }

  @Test
  void preprocessorConfigAndLabel2idInTheCheckpoint() throws Exception {
    Path model = copy(TinyCctPair.shared().tops(), dir.resolve("tops-hf"));
    Files.writeString(model.resolve(ImageProcessing.FILE), FashionMnist.PREPROCESSING.toJson().toString());
    ObjectNode config = (ObjectNode) ModelCheckpoints.readJson(model.resolve("config.json"));
    ObjectNode label2id = config.putObject("label2id");
    for (int c = 0; c < FashionMnist.CLASSES; c++) {
      label2id.put(FashionMnist.LABELS.get(c), c);
    }
    Files.writeString(model.resolve("config.json"), config.toString());
    Path spec = Files.writeString(dir.resolve("hf.yaml"), "tasks:\n  clothes: {type: image_folder, validation: " + folder + ", test: " + folder + "}\n");
    assertSameAsBuiltIn(model, spec);
  }

  @Test
  void specFieldsWhenTheModelHasNoPreprocessorConfig() throws Exception {
    Path model = TinyCctPair.shared().tops();
    assertThat(model.resolve(ImageProcessing.FILE)).doesNotExist();
    StringBuilder labels = new StringBuilder();
    for (int c : new int[] {0, 2, 3, 4, 6}) {
      labels.append(labels.length() == 0 ? "" : ", ").append(FashionMnist.LABELS.get(c)).append(": ").append(c);
    }
    Path spec = Files.writeString(dir.resolve("fields.yaml"), """
        tasks:
          clothes:
            type: image_folder
            validation: %s
            test: %s
            labels: {%s}
            do_rescale: true
            rescale_factor: 0.00392156862745098
            do_normalize: true
            image_mean: [0.2860]
            image_std: 0.3530
        """.formatted(folder, folder, labels));
    assertSameAsBuiltIn(model, spec);
  }

  private static void assertSameAsBuiltIn(Path model, Path spec) {
    Task task = (Task) ModelTasks.resolve(TaskSpecs.load(spec), model, "clothes", EnumSet.of(Split.TEST));
    try (NDManager m = NDManager.newBaseManager()) {
      EvaluationResult r = Evaluation.evaluate(ModelCheckpoints.load(model, m), task, Split.TEST, 0, 250, m);
      assertThat(r.samples()).isEqualTo(builtIn.samples()).isEqualTo(5000);
      assertThat(r.metrics()).isEqualTo(builtIn.metrics());
      // Same images, same logits; only the order of summation differs (class by class, not by index).
      assertThat(r.loss()).isCloseTo(builtIn.loss(), within(1e-6 * builtIn.loss()));
    }
  }

  private static Path copy(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to;
  }
}
