package io.automerge.segment;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.automerge.cli.AutoMerge;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.ModelCheckpoints;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentCommandTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = AutoMerge.execute(args);
      return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private Path savedCct() {
    Path model = dir.resolve("cct");
    try (NDManager manager = NDManager.newBaseManager()) {
      ArchitectureModel cct = TinyModels.cct(2).initialize(manager);
      ModelCheckpoints.save(cct, model, Map.of());
    }
    return model;
  }

  @Test
  void jsonListsThreeBlocksWhosePatternsSplitTheCheckpoint() throws Exception {
    Path model = savedCct();
    Run r = run("segment", model.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();

    JsonNode blocks = new ObjectMapper().readTree(r.out()).get("blocks");
    assertThat(blocks).hasSize(3);
    List<String> names = new ArrayList<>();
    List<String> all = new ArrayList<>();
    for (JsonNode b : blocks) {
      names.add(b.get("name").asText());
      assertThat(b.get("rank").asInt()).isBetween(2, 4);
      assertThat(b.get("parameters").asLong()).isPositive();
      Pattern p = Pattern.compile(b.get("pattern").asText());
      for (JsonNode t : b.get("tensors")) {
        assertThat(p.matcher(t.asText()).find()).isTrue();
        all.add(t.asText());
      }
    }
    assertThat(names).containsExactly("tokenizer", "encoder", "pooling_head");
    assertThat(all).doesNotHaveDuplicates().contains("tokenizer.conv.0.weight", "head.bias");
  }

  @Test
  void textOutputNamesBlocksAndModes() {
    Path model = savedCct();
    Run r = run("segment", model.toString(), "--segmentation", "layers:1");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("segmentation layers:1: 3 block(s)", "block layers.0: rank 3", "block rest:", "pattern  ^(?:");
  }

  @Test
  void userErrorsAreOneLine() {
    Path model = savedCct();
    Run bad = run("segment", model.toString(), "--segmentation", "rows");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err().strip()).startsWith("automerge: segmentation: expected shape, whole or layers:K").doesNotContain("\n");
    Run missing = run("segment", dir.resolve("nope").toString());
    assertThat(missing.exit()).isEqualTo(2);
  }
}
