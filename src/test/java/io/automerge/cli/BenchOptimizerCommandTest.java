package io.automerge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchOptimizerCommandTest {
  @Test
  void printsBothCurvesAndTheAskTime() {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code = new CommandLine(new BenchOptimizerCommand()).execute("--seeds", "2", "--evaluations", "30", "--candidates", "300");
    } finally {
      System.setOut(original);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(code).isZero();
    assertThat(text).contains("evaluations").contains("bayesian").contains("random").contains("One ask at 200 observations");
    assertThat(text.lines().filter(l -> l.matches("\\s+(10|20|30)\\s+\\d\\.\\d{4}\\s+\\d\\.\\d{4}"))).hasSize(3);
  }

  @Test
  void rejectsNonsenseOptionsAsUserErrors() {
    int code = new CommandLine(new BenchOptimizerCommand())
        .setExecutionExceptionHandler((ex, cmd, parsed) -> AutoMerge.report(ex, false))
        .execute("--seeds", "0");
    assertThat(code).isEqualTo(2);
  }
}
