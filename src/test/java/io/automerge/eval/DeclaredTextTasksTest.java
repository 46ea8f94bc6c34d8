package io.automerge.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.automerge.data.ModelTask;
import io.automerge.data.Split;
import io.automerge.data.Task;
import io.automerge.data.TaskSpec;
import io.automerge.data.TaskSpecs;
import io.automerge.data.tokenizer.TextTokenizer;
import io.automerge.data.tokenizer.Tokenizers;
import io.automerge.model.ArchitectureModel;
import io.automerge.model.ModelCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * text, completion and multiple_choice on a tiny HF-layout Llama with a tokenizer.json, over
 * Debian's license texts; every loss and metric is checked against a direct computation that
 * runs each sequence alone (no batching, padding or masks) and reads log-softmax off the logits.
 */
class DeclaredTextTasksTest {
  @TempDir static Path dir;
  private static TinyLlamaPair pair;
  private static Map<String, TaskSpec> tasks;

  @BeforeAll
  static void data() throws Exception {
    pair = TinyLlamaPair.create(dir.resolve("pair"));
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.copy(TinyLlamaPair.LICENSES.resolve("BSD"), data.resolve("bsd.txt"));
    Files.copy(TinyLlamaPair.LICENSES.resolve("Artistic"), data.resolve("artistic.txt"));
    List<String> paragraphs = paragraphs(TinyLlamaPair.read(TinyLlamaPair.LICENSES.resolve("Apache-2.0")));
    List<String> completion = new ArrayList<>();
    List<String> choice = new ArrayList<>();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (int i = 0; i < 12; i++) {
      String p = paragraphs.get(i + 3);
      int cut = p.length() / 2;
      completion.add(json.writeValueAsString(Map.of("prompt", p.substring(0, cut), "completion", p.substring(cut))));
      String next = paragraphs.get(i + 4);
      choice.add(json.writeValueAsString(Map.of("question", p.substring(0, Math.min(p.length(), 120)),
          "choices", List.of(" " + next.substring(0, Math.min(40, next.length())), " of the License", " the Work"),
          "answer", i % 3)));
    }
    Files.write(data.resolve("completion.jsonl"), completion);
    Files.write(data.resolve("choice.jsonl"), choice);
    Files.writeString(dir.resolve("spec.yaml"), """
        tasks:
          licenses:
            type: text
            validation: [data/bsd.txt, data/artistic.txt]
            max_tokens: 24
          finish:
            type: completion
            validation: data/completion.jsonl
            max_tokens: 40
          pick:
            type: multiple_choice
            validation: [data/choice.jsonl]
            max_tokens: 32
        """);
    tasks = TaskSpecs.load(dir.resolve("spec.yaml"));
  }

  private static List<String> paragraphs(String text) {
    return java.util.Arrays.stream(text.split("\n\\s*\n")).map(String::strip).filter(p -> p.length() > 80).toList();
  }

  private static Task task(String name) {
    ModelTask t = ModelTasks.resolve(tasks, pair.base(), name, EnumSet.of(Split.VAL));
    return (Task) t;
  }

  @Test
  void textIsCutIntoWindowsOfMaxTokensAndScoredTokenWeighted() {
    Task task = task("licenses");
    List<long[]> windows = new ArrayList<>();
    try (TextTokenizer tok = Tokenizers.forModel(pair.base())) {
      for (String f : List.of("bsd.txt", "artistic.txt")) {
        long[] ids = tok.encode(TinyLlamaPair.read(dir.resolve("data").resolve(f)), true);
        assertThat(ids[0]).as("with the tokenizer's special tokens").isZero();
        for (int s = 0; s < ids.length; s += 24) {
          long[] w = java.util.Arrays.copyOfRange(ids, s, Math.min(ids.length, s + 24));
          if (w.length >= 2) {
            windows.add(w);
          }
        }
      }
    }
    assertThat(task.size(Split.VAL)).isEqualTo(windows.size());
    try (NDManager m = NDManager.newBaseManager()) {
      ArchitectureModel model = ModelCheckpoints.load(pair.a(), m);
      EvaluationResult r = Evaluation.evaluate(model, task, Split.VAL, 0, 7, m);
      double nll = 0;
      long n = 0;
      long correct = 0;
      for (long[] w : windows) {
        double[][] lp = logProbs(model, w, m);
        for (int t = 1; t < w.length; t++) {
          nll -= lp[t][(int) w[t]];
          correct += argMax(lp[t]) == w[t] ? 1 : 0;
          n++;
        }
      }
      assertThat(r.units()).isEqualTo(n);
      assertThat(r.loss()).isCloseTo(nll / n, within(1e-5));
      assertThat(r.metrics().get("perplexity")).isCloseTo(Math.exp(nll / n), within(1e-3));
      assertThat(r.metrics().get("token_accuracy")).isEqualTo((double) correct / n);
      assertThat(task.lowerIsBetter()).containsExactly("perplexity");
      // samples_per_task / --limit: the first N windows.
      assertThat(Evaluation.evaluate(model, task, Split.VAL, 3, 2, m).units()).isEqualTo(3L * 23);
    }
  }

  @Test
  void completionScoresOnlyTheCompletionTokens() throws Exception {
    Task task = task("finish");
    List<com.fasterxml.jackson.databind.JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(dir.resolve("data/completion.jsonl"))) {
      lines.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(l));
    }
    assertThat(task.size(Split.VAL)).isEqualTo(12);
    try (NDManager m = NDManager.newBaseManager(); TextTokenizer tok = Tokenizers.forModel(pair.base())) {
      ArchitectureModel model = ModelCheckpoints.load(pair.b(), m);
      EvaluationResult r = Evaluation.evaluate(model, task, Split.VAL, 0, 5, m);
      double nll = 0;
      long n = 0;
      for (var line : lines) {
        long[] p = tok.encode(line.get("prompt").asText(), true);
        long[] c = tok.encode(line.get("completion").asText(), false);
        long[] all = java.util.stream.LongStream.concat(java.util.Arrays.stream(p), java.util.Arrays.stream(c)).toArray();
        for (int s = 0; s < all.length; s += 40) {
          long[] w = java.util.Arrays.copyOfRange(all, s, Math.min(all.length, s + 40));
          if (w.length < 2) {
            continue;
          }
          double[][] lp = logProbs(model, w, m);
          for (int t = 1; t < w.length; t++) {
            if (s + t >= p.length) {
              nll -= lp[t][(int) w[t]];
              n++;
            }
          }
        }
      }
      assertThat(r.units()).isEqualTo(n);
      assertThat(r.loss()).isCloseTo(nll / n, within(1e-5));
    }
  }

  @Test
  void multipleChoiceSumsEachChoicesLogProbabilityAfterTheQuestion() throws Exception {
    Task task = task("pick");
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    try (NDManager m = NDManager.newBaseManager(); TextTokenizer tok = Tokenizers.forModel(pair.base())) {
      ArchitectureModel model = ModelCheckpoints.load(pair.a(), m);
      EvaluationResult r = Evaluation.evaluate(model, task, Split.VAL, 0, 4, m);
      int questions = 0;
      int correct = 0;
      int correctNorm = 0;
      double goldNll = 0;
      long goldTokens = 0;
      for (String l : Files.readAllLines(dir.resolve("data/choice.jsonl"))) {
        var json = mapper.readTree(l);
        long[] q = tok.encode(json.get("question").asText(), true);
        int answer = json.get("answer").asInt();
        double best = Double.NEGATIVE_INFINITY;
        double bestNorm = Double.NEGATIVE_INFINITY;
        int pick = -1;
        int pickNorm = -1;
        for (int k = 0; k < json.get("choices").size(); k++) {
          String choice = json.get("choices").get(k).asText();
          long[] c = tok.encode(choice, false);
          int keep = Math.min(q.length, 32 - c.length);
          long[] all = java.util.stream.LongStream.concat(java.util.Arrays.stream(q, q.length - keep, q.length),
              java.util.Arrays.stream(c)).toArray();
          double[][] lp = logProbs(model, all, m);
          double sum = 0;
          for (int t = keep; t < all.length; t++) {
            sum += lp[t][(int) all[t]];
          }
          double norm = sum / choice.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
          if (sum > best) {
            best = sum;
            pick = k;
          }
          if (norm > bestNorm) {
            bestNorm = norm;
            pickNorm = k;
          }
          if (k == answer) {
            goldNll -= sum;
            goldTokens += c.length;
          }
        }
        questions++;
        correct += pick == answer ? 1 : 0;
        correctNorm += pickNorm == answer ? 1 : 0;
      }
      System.out.println("multiple_choice on the tiny pair: " + r);
      assertThat(r.samples()).isEqualTo(questions);
      assertThat(r.metrics().get("accuracy")).isEqualTo((double) correct / questions);
      assertThat(r.metrics().get("accuracy_norm")).isEqualTo((double) correctNorm / questions);
      assertThat(r.loss()).isCloseTo(goldNll / goldTokens, within(1e-5));
    }
  }

  /** log p(token | earlier tokens) at every position t >= 1 (row t), from one unpadded forward pass. */
  static double[][] logProbs(ArchitectureModel model, long[] tokens, NDManager manager) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray input = scope.create(java.util.Arrays.copyOf(tokens, tokens.length - 1), new Shape(1, tokens.length - 1));
      float[] logits = model.forward(input, false).toFloatArray();
      int vocab = logits.length / (tokens.length - 1);
      double[][] out = new double[tokens.length][];
      for (int t = 1; t < tokens.length; t++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
          max = Math.max(max, logits[(t - 1) * vocab + v]);
        }
        double z = 0;
        for (int v = 0; v < vocab; v++) {
          z += Math.exp(logits[(t - 1) * vocab + v] - max);
        }
        out[t] = new double[vocab];
        for (int v = 0; v < vocab; v++) {
          out[t][v] = logits[(t - 1) * vocab + v] - max - Math.log(z);
        }
      }
      return out;
    }
  }

  private static int argMax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
