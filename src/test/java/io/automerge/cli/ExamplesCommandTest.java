package io.automerge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.automerge.data.FashionMnist;
import io.automerge.data.ImageProcessing;
import io.automerge.model.ModelCheckpoints;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamplesCommandTest {
  @Test
  void trainedCctCheckpointsCarryTheFashionMnistPreprocessorConfig(@TempDir Path dir) {
    int code = AutoMerge.execute("examples", dir.toString(), "--pair", "p", "--arch", "cct",
        "--tasks", "fashion-mnist:tops,fashion-mnist:others", "--steps-scale", "0.002");
    assertThat(code).isZero();
    for (String model : List.of("base", "fashion-mnist_tops", "fashion-mnist_others")) {
      Path file = dir.resolve("p").resolve(model).resolve(ImageProcessing.FILE);
      assertThat(ModelCheckpoints.readJson(file)).as(model).isEqualTo(FashionMnist.PREPROCESSING.toJson());
      assertThat(ImageProcessing.ofModel(file.getParent())).isEqualTo(FashionMnist.PREPROCESSING);
    }
  }
}
