package io.automerge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.automerge.tensor.CheckpointWriter;
import io.automerge.tensor.DType;
import io.automerge.tensor.ElementCodec;
import io.automerge.tensor.TensorSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {

  @TempDir Path dir;

  private record Run(int exitCode, String out, String err) {}

  @Test
  void listsTensorsAndCountsParametersPerDtype() {
    List<TensorSpec> specs = List.of(
        new TensorSpec("model.embed.weight", DType.BF16, new long[] {8, 4}),
        new TensorSpec("model.norm.weight", DType.F32, new long[] {4}));
    try (CheckpointWriter writer = CheckpointWriter.create(dir, specs, 1 << 20, Map.of("format", "pt"))) {
      for (TensorSpec spec : specs) {
        writer.write(spec.name(), ElementCodec.encode(new float[(int) spec.numel()], spec.dtype()));
      }
    }
    Run run = run("inspect", dir.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("1 file(s), 2 tensors, 80 bytes")
        .contains("metadata format = pt")
        .containsPattern("model\\.embed\\.weight +BF16 \\[8, 4\\]")
        .contains("parameters BF16: 32")
        .contains("parameters F32: 4")
        .contains("parameters total: 36");
    assertThat(run("inspect", "--summary", dir.toString()).out()).doesNotContain("model.norm.weight");
    assertThat(run("inspect", "--match", "norm", dir.toString()).out())
        .contains("model.norm.weight").doesNotContain("model.embed.weight");
  }

  @Test
  void aMissingCheckpointIsOneLineAndExitTwo() {
    Run run = run("inspect", dir.resolve("absent").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("automerge: " + dir.resolve("absent") + ": no such file or directory");
  }

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
    ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
      int code = AutoMerge.execute(args);
      return new Run(code, capturedOut.toString(StandardCharsets.UTF_8), capturedErr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
