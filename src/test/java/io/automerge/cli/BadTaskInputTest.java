package io.automerge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.automerge.data.tokenizer.TokenizerFiles;
import io.automerge.eval.TinyCctPair;
import io.automerge.eval.TinyLlamaPair;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad task input ends `automerge search` (or `evaluate`) in one line naming the file,
 * line, field or tensor, with exit code 2, before anything is persisted: Cassandra is pointed at
 * a port nothing listens on, so a search that got as far as the journal would fail differently.
 */
class BadTaskInputTest {
  @TempDir static Path dir;
  private static TinyLlamaPair llama;
  private static TinyCctPair cct;

  @BeforeAll
  static void fixtures() throws Exception {
    System.setProperty("automerge.cassandra.contact-points", "127.0.0.1:1");
    ConfigFactory.invalidateCaches();
    llama = TinyLlamaPair.create(dir.resolve("llama"));
    cct = TinyCctPair.shared();
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.copy(TinyLlamaPair.LICENSES.resolve("BSD"), data.resolve("bsd.txt"));
    Files.writeString(data.resolve("empty.txt"), "");
    Files.writeString(data.resolve("good.jsonl"), "{\"prompt\": \"Redistribution and use\", \"completion\": \" in source and binary forms\"}\n");
    Files.writeString(data.resolve("bad.jsonl"), "{\"prompt\": \"a\", \"completion\": \"b\"}\n{\"prompt\": \"a\",\n");
    Files.writeString(data.resolve("lacks.jsonl"), "\n{\"prompt\": \"the Software\"}\n");
    Files.writeString(data.resolve("blank.jsonl"), "{\"text\": \"\"}\n");
    Files.writeString(data.resolve("choice.jsonl"), "{\"question\": \"THE SOFTWARE IS PROVIDED\", \"choices\": [\" AS IS\", \" FREE\", \" LATER\"], \"answer\": 5}\n");
    TokenizerFiles.wordLevel(dir.resolve("big/tokenizer.json"), TinyLlamaPairWords.words(400));
    // Image folders: two classes of real Fashion-MNIST images, one broken file.
    for (String cls : List.of("a", "b")) {
      Path folder = Files.createDirectories(dir.resolve("images/" + cls));
      BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
      ImageIO.write(image, "png", folder.resolve("0.png").toFile());
    }
    Files.createDirectories(dir.resolve("broken/a"));
    Files.write(dir.resolve("broken/a/x.png"), new byte[] {1, 2, 3, 4});
  }

  @AfterAll
  static void restore() {
    System.clearProperty("automerge.cassandra.contact-points");
    ConfigFactory.invalidateCaches();
  }

  private static String llamaSpec(String tasks, String taskA, String taskB, String extra) {
    return """
        id: bad
        base_model: %s
        models:
          - {path: %s, task: "%s"}
          - {path: %s, task: "%s"}
        output: out
        %s
        tasks:
        %s
        """.formatted(llama.base(), llama.a(), taskA, llama.b(), taskB, extra, tasks.indent(2));
  }

  private static final String GOOD = "ok: {type: completion, validation: data/good.jsonl, test: data/good.jsonl}\n";

  private static String textTask(String name, String fields) {
    return GOOD + name + ": {type: text, test: data/bsd.txt, " + fields + "}\n";
  }

  private static String cctSpec(String tasks, String taskA) {
    return """
        id: bad
        base_model: %s
        models:
          - {path: %s, task: "%s"}
          - {path: %s, task: "fashion-mnist:others"}
        output: out
        %s
        """.formatted(cct.base(), cct.tops(), taskA, cct.others(), tasks.isEmpty() ? "" : "tasks:\n" + tasks.indent(2));
  }

  @Test
  void dataFiles() throws Exception {
    search(llamaSpec(textTask("t", "validation: data/absent.txt"), "t", "ok", ""),
        "tasks.t.validation: " + dir.resolve("data/absent.txt") + " does not exist");
    search(llamaSpec(textTask("t", "validation: data/empty.txt"), "t", "ok", ""), dir.resolve("data/empty.txt") + ": empty data file");
    search(llamaSpec(GOOD + "c: {type: completion, validation: data/bad.jsonl, test: data/good.jsonl}", "c", "ok", ""),
        dir.resolve("data/bad.jsonl") + ":2: not valid JSON");
    search(llamaSpec(GOOD + "c: {type: completion, validation: data/lacks.jsonl, test: data/good.jsonl}", "c", "ok", ""),
        dir.resolve("data/lacks.jsonl") + ":2: field 'completion' is missing");
    search(llamaSpec(textTask("t", "validation: data/blank.jsonl"), "t", "ok", ""), "tasks.t.validation: the val split has nothing to score");
    search(llamaSpec(GOOD + "q: {type: multiple_choice, validation: data/choice.jsonl, test: data/choice.jsonl}", "q", "ok", ""),
        dir.resolve("data/choice.jsonl") + ":1: answer 5 is out of range (3 choices: 0..2)");
  }

  @Test
  void tokenizerIdsBeyondTheVocabulary() throws Exception {
    search(llamaSpec(textTask("t", "validation: data/bsd.txt, tokenizer: big"), "t", "ok", ""),
        dir.resolve("big/tokenizer.json") + ": token id 401 exceeds the vocabulary of model " + llama.base() + " (vocab_size 302)");
  }

  @Test
  void images() throws Exception {
    search(cctSpec("i: {type: image_folder, validation: broken, test: broken}", "i"), dir.resolve("broken/a/x.png") + ": unreadable image");
    search(cctSpec("i: {type: image_folder, validation: images, test: images, labels: {a: 0}}", "i"),
        "tasks.i.validation: class folder 'b' has no label in tasks labels (labels: [a])");
    search(cctSpec("i: {type: image_folder, validation: images, test: images, labels: {a: 0, b: 12}}", "i"),
        "tasks.i.validation: class folder 'b' has label 12 (tasks labels), outside the 10 outputs of model " + cct.base());
  }

  @Test
  void tasksThatDoNotFitTheModel() throws Exception {
    search(cctSpec("", "fortunes:de"), "task fortunes:de scores a language model, but model " + cct.base() + " is an image classifier");
    search(cctSpec("t: {type: text, validation: data/bsd.txt, test: data/bsd.txt}", "t"),
        "tasks.t: a text task scores a language model, but model " + cct.base() + " is an image classifier");
    search(llamaSpec(GOOD, "fashion-mnist:tops", "ok", ""), "task fashion-mnist:tops scores an image classifier, but model "
        + llama.base() + " is a language model");
    assertThat(run("evaluate", cct.tops().toString(), "--task", "fortunes:de").code()).isEqualTo(2);
    assertThat(run("evaluate", cct.tops().toString(), "--task", "fortunes:de").stderr())
        .isEqualTo("automerge: task fortunes:de scores a language model, but model " + cct.tops() + " is an image classifier");
  }

  @Test
  void specLevelMistakes() throws Exception {
    search(llamaSpec(GOOD + "x: {type: regression, validation: data/bsd.txt}", "x", "ok", ""),
        "tasks.x.type: unknown task type 'regression' (expected one of [text, completion, multiple_choice, image_folder, command])");
    search(llamaSpec(GOOD + "spare: {type: text, validation: data/bsd.txt, test: data/bsd.txt}", "ok", "fortunes:en", ""),
        "tasks.spare: no model uses this task");
    search(llamaSpec(GOOD, "nonsense", "ok", ""), "models[0].task: 'nonsense' is neither declared under tasks [ok] nor a built-in task");
    search(llamaSpec(GOOD, "ok", "ok", ""), "models[1].task: task 'ok' is given to more than one model");
    search(llamaSpec(GOOD, "fortunes:en", "fortunes:en", ""), "models[1].task: task 'fortunes:en' is given to more than one model");
    search(llamaSpec(GOOD, "ok", "fortunes:en", "trials: 0"), "trials: must be a positive integer (got 0)");
    search(llamaSpec(GOOD, "ok", "fortunes:en", "colour: red"), "colour: unknown field (expected one of: base_model, batch_size, cache_sources_on_device, density, fidelity, groups, "
        + "id, initial, lambda, model_dtype, models, objective, output, pd_penalty, report, rescore, seed, segmentation, select, tasks, techniques, trials, "
        + "validation, warm_start, weight_range, weights, workers)");
    search(llamaSpec(GOOD + "t: {type: text, validation: data/bsd.txt, test: data/bsd.txt, colour: red}", "t", "ok", ""),
        "tasks.t.colour: unknown field (expected one of: command, do_normalize, do_rescale, do_resize, field, image_mean, image_std, "
            + "labels, lower_is_better, max_tokens, rescale_factor, size, test, timeout_s, tokenizer, type, validation, working_dir)");
    search(llamaSpec(GOOD + "t: {type: text, validation: data/bsd.txt, test: data/bsd.txt, labels: {a: 1}}", "t", "ok", ""),
        "tasks.t.labels: does not apply to type text (its fields: type, validation, test, field, tokenizer, max_tokens)");
    search(llamaSpec(GOOD + "t: {type: text, validation: data/bsd.txt}", "t", "ok", ""),
        "tasks.t.test: required in a search (the report scores the test split)");
    search(llamaSpec(GOOD + "run: {type: command, command: [no-such-evaluator, \"{model}\"]}", "run", "ok", ""),
        "tasks.run.command: command 'no-such-evaluator' not found on PATH");
  }

  private record Result(int code, String stderr) {}

  /** `automerge search` on the YAML: exit 2, one line containing {@code fragment}, no output directory. */
  private static void search(String yaml, String fragment) throws Exception {
    Path spec = Files.writeString(dir.resolve("spec.yaml"), yaml);
    Result r = run("search", spec.toString());
    System.out.println("bad input: " + r.stderr());
    assertThat(r.code()).as(r.stderr()).isEqualTo(2);
    assertThat(r.stderr()).startsWith("automerge: ").contains(fragment).doesNotContain("\n").doesNotContain("io.automerge");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  private static Result run(String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = AutoMerge.execute(args);
    } finally {
      System.setErr(old);
    }
    List<String> lines = new ArrayList<>(err.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.contains(" WARN ")).toList());
    return new Result(code, String.join("\n", lines));
  }
}
