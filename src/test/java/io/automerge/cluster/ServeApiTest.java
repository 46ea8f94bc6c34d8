package io.automerge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.automerge.eval.TinyCctPair;
import io.automerge.util.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import io.automerge.serve.HeadlessChromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * `automerge serve` as a user runs it: its own JVM, bound off loopback with a bearer token,
 * against the test Cassandra node; real searches over the tiny CCT pair, driven through HTTP only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeApiTest {
  static final String TOKEN = "test-token-" + System.nanoTime();
  private static final long RUN = System.currentTimeMillis();

  @TempDir static Path dir;
  static Path root;
  static Path outside;
  static TestCassandra cassandra;
  static Process server;
  static String api;
  static Path serverLog;
  static String management;
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void startServer() throws Exception {
    cassandra = TestCassandra.get();
    TinyCctPair pair = TinyCctPair.shared();
    root = Files.createDirectories(dir.resolve("root"));
    outside = Files.createDirectories(dir.resolve("outside"));
    for (Path model : List.of(pair.base(), pair.tops(), pair.others())) {
      copy(model, root.resolve("models").resolve(model.getFileName()));
      copy(model, outside.resolve(model.getFileName()));
    }
    Files.createSymbolicLink(root.resolve("escape"), outside); // inside the root by name, outside by target
    int port = freePort();
    int managementPort = freePort();
    server = serve(Map.of("AUTOMERGE_API_TOKEN", TOKEN),
        "serve", "--bind", "0.0.0.0", "--port", Integer.toString(port), "--management-port", Integer.toString(managementPort),
        "--allowed-root", root.toString());
    serverLog = latestLog();
    api = "http://127.0.0.1:" + port;
    management = "http://127.0.0.1:" + managementPort;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (true) {
      assertThat(server.isAlive()).as("server died: " + serverLog()).isTrue();
      try {
        if (get(api + "/ready", false).statusCode() == 200) {
          break;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      assertThat(System.nanoTime()).as("server ready in 3 min: " + serverLog()).isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** `automerge ARGS` in its own JVM against the test node, started in the allowed root. */
  static Process serve(Map<String, String> extraEnv, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Xmx2g", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "io.automerge.cli.AutoMerge"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile())
        .redirectError(dir.resolve("stderr-" + System.nanoTime() + ".log").toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().remove("AUTOMERGE_API_TOKEN");
    pb.environment().putAll(cassandra.env());
    pb.environment().putAll(extraEnv);
    return pb.start();
  }

  static String spec(String id, int trials, String extra) {
    return """
        id: %s
        base_model: models/base
        models:
          - {path: models/tops, task: "fashion-mnist:tops"}
          - {path: models/others, task: "fashion-mnist:others"}
        trials: %d
        initial: 4
        validation: {samples_per_task: 100}
        workers: 1
        seed: 3
        output: out-%s
        rescore: 0
        report: {baselines: false}
        """.formatted(id, trials, id) + extra;
  }

  @Test
  @Order(0)
  void refusesToStartOffLoopbackWithoutAToken() throws Exception {
    Process p = serve(Map.of(), "serve", "--bind", "0.0.0.0", "--port", "0", "--management-port", "-1");
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(TestCassandra.lastStderr(dir).strip()).startsWith("automerge: --bind 0.0.0.0:").contains("AUTOMERGE_API_TOKEN")
        .hasLineCount(1);
  }

  @Test
  @Order(1)
  void aSearchRunsLiveOverHttpAndBadRequestsLeaveItUntouched() throws Exception {
    String id = "api-live-" + RUN;
    int trials = 10;
    HttpResponse<String> created = post(api + "/api/searches", spec(id, trials, ""), "application/yaml");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(json(created).get("id").asText()).isEqualTo(id);

    // Live: the SSE stream delivers each trial while the search still runs.
    List<JsonNode> seenWhileRunning = Collections.synchronizedList(new ArrayList<>());
    SseReader sse = SseReader.open(api + "/api/searches/" + id + "/events", event -> {
      if (event.type().equals("TrialCompleted") && seenWhileRunning.isEmpty()) {
        try {
          seenWhileRunning.add(getJson(api + "/api/searches/" + id));
        } catch (IOException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
    });
    sse.awaitType("TrialCompleted", Duration.ofMinutes(4));
    String metricsDuring = get(api + "/metrics", true).body();

    // Bad requests while it runs: each refused in one line naming what is wrong.
    String good = spec(id + "-bad", 4, "");
    assertThat(get(api + "/api/searches", false).statusCode()).isEqualTo(401);
    assertThat(send(HttpRequest.newBuilder(URI.create(api + "/api/searches")).header("Authorization", "Bearer wrong").GET())
        .statusCode()).isEqualTo(401);
    assertError(post(api + "/api/searches", "id: [unclosed", "application/yaml"), 400, "spec: malformed YAML");
    assertError(post(api + "/api/searches", good + "colour: red\n", "application/yaml"), 400, "spec: colour: unknown field");
    assertError(post(api + "/api/searches", good.replace("trials: 4", "trials: 0"), "application/yaml"), 400, "spec: trials:");
    assertError(post(api + "/api/searches", "{\"id\": \"x\", \"trials\": \"many\"}", "application/json"), 400, "spec: trials:");
    assertError(post(api + "/api/searches", good + "# " + "x".repeat(2 << 20) + "\n", "application/yaml"), 413, "automerge.api.max-body");
    assertError(post(api + "/api/searches", good.replace("base_model: models/base", "base_model: ../outside/base"), "application/yaml"),
        400, "spec: base_model: " + outside.resolve("base") + " is outside the allowed roots");
    assertError(post(api + "/api/searches", good.replace("path: models/tops", "path: escape/tops"), "application/yaml"),
        400, "spec: models[0].path: " + root.resolve("escape/tops") + " is outside the allowed roots");
    assertError(post(api + "/api/searches", good.replace("output: out-" + id + "-bad", "output: escape/out"), "application/yaml"),
        400, "spec: output:");
    assertError(post(api + "/api/searches", good.replace("\"fashion-mnist:tops\"", "near").replace("rescore: 0", """
        rescore: 0
        tasks:
          near: {type: command, command: [sh, -c, "echo pwned"]}""".strip()), "application/yaml"), 400, "spec: tasks.near.command:");
    assertError(post(api + "/api/searches", spec(id, trials + 1, ""), "application/yaml"), 409, "exists with a different spec");
    for (String path : List.of("", "/trials", "/report", "/events")) {
      assertError(get(api + "/api/searches/no-such-search" + path, true), 404, "no search with id 'no-such-search'");
    }
    assertError(post(api + "/api/searches/no-such-search/cancel", "", "text/plain"), 404, "no search with id 'no-such-search'");
    assertError(get(api + "/api/searches/" + id + "/report", true), 404, "has no report yet");
    assertError(get(api + "/api/nothing-here", true), 404, "no such endpoint");
    assertThat(getJson(api + "/api/searches").findValuesAsText("id")).contains(id).doesNotContain(id + "-bad", "x");

    List<SseReader.Event> events = sse.awaitType("ModelExported", Duration.ofMinutes(5));
    sse.close();

    // What was seen while it ran.
    assertThat(seenWhileRunning).hasSize(1);
    assertThat(seenWhileRunning.get(0).get("state").asText()).isEqualTo("running");
    assertThat(seenWhileRunning.get(0).at("/trials/completed").asInt()).isBetween(1, trials - 1);
    assertThat(metricsDuring).contains("automerge_trials_completed_total{search=\"" + id + "\"}");

    // The search is untouched: every trial once, none failed, the events contiguous from 1.
    List<Integer> completed = events.stream().filter(e -> e.type().equals("TrialCompleted")).map(e -> e.data().get("trial").asInt()).toList();
    assertThat(completed).hasSize(trials).doesNotHaveDuplicates();
    assertThat(events.stream().map(SseReader.Event::type)).doesNotContain("TrialFailed", "SearchFailed", "SearchCancelled")
        .startsWith("SearchStarted", "SegmentationDecided").endsWith("SearchCompleted", "ModelExported");
    assertThat(events.stream().map(SseReader.Event::id).toList())
        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, events.size()).boxed().toList());

    JsonNode status = getJson(api + "/api/searches/" + id);
    assertThat(status.get("state").asText()).isEqualTo("completed");
    assertThat(status.at("/trials/completed").asInt()).isEqualTo(trials);
    assertThat(status.at("/trials/failed").asInt()).isZero();
    assertThat(status.get("blocks")).hasSize(3);
    assertThat(status.at("/incumbent/blocks")).hasSize(3);
    assertThat(status.at("/incumbent/trial").asInt()).isEqualTo(status.at("/best/trial").asInt());
    assertThat(status.at("/workers/0/trials").asInt()).isEqualTo(trials);
    JsonNode trialList = getJson(api + "/api/searches/" + id + "/trials");
    assertThat(trialList).hasSize(trials);
    assertThat(trialList.findValuesAsText("outcome")).containsOnly("completed");
    JsonNode report = getJson(api + "/api/searches/" + id + "/report");
    assertThat(report.at("/preservation_rate/fashion-mnist:tops").asDouble()).isPositive();
    assertThat(getJson(api + "/api/workers").findValuesAsText("device")).contains("cpu");

    // Metrics scraped at the end match the journal.
    Map<String, Double> metrics = scrape();
    System.out.println("serve: metrics at the end of " + id + ": " + metrics.entrySet().stream()
        .filter(e -> e.getKey().contains(id) || e.getKey().startsWith("automerge_workers") || e.getKey().startsWith("automerge_trial_seconds_count"))
        .toList());
    assertThat(metrics.get("automerge_trials_completed_total{search=\"" + id + "\"}")).isEqualTo((double) completed.size());
    assertThat(metrics.get("automerge_trials_failed_total{search=\"" + id + "\"}"))
        .isEqualTo((double) events.stream().filter(e -> e.type().equals("TrialFailed")).count());
    assertThat(metrics.get("automerge_search_best_cost{search=\"" + id + "\"}")).isEqualTo(status.at("/best/cost").asDouble());
    assertThat(metrics.get("automerge_trial_seconds_count")).isGreaterThanOrEqualTo(trials);
    double journalSeconds = trialList.findValues("millis").stream().mapToDouble(JsonNode::asDouble).sum() / 1000;
    assertThat(metrics).containsKey("automerge_workers{state=\"idle\"}").containsKey("automerge_workers{state=\"busy\"}");
    assertThat(metrics.get("automerge_trial_seconds_sum")).isGreaterThanOrEqualTo(journalSeconds - 1e-6);
  }

  @Test
  @Order(2)
  void theDashboardDrawsARunningSearchInHeadlessChromiumAndItsChartGainsPoints() throws Exception {
    java.util.Optional<Path> chromium = HeadlessChromium.binary();
    Assumptions.assumeTrue(chromium.isPresent(),
        "chromium is not installed (ops/install-deps.sh --browser installs it): the dashboard's browser test is skipped");
    String id = "api-dashboard-" + RUN;
    // enough trials that the chart grows in view on a quiet machine too (a page that retried its
    // connection once a second first drew 10 of 12 there; now it retries every 300 ms: 2 of 30)
    int trials = 30;
    String page = api + "/?search=" + id + "&access_token=" + TOKEN;
    try (HeadlessChromium browser = HeadlessChromium.open(chromium.get(), page, 1400, 1700, dir.resolve("chromium-profile"))) {
      awaitTrue(() -> browser.evaluate("typeof window.automergeDashboard === 'object'"), Duration.ofSeconds(60));
      assertThat(browser.evaluate("window.automergeDashboard.points()").asInt()).isZero();
      HttpResponse<String> created = post(api + "/api/searches", spec(id, trials, ""), "application/yaml");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

      // The chart gains its points as the trials arrive, without a reload.
      List<Integer> counts = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (counts.isEmpty() || counts.get(counts.size() - 1) < trials) {
        assertThat(System.nanoTime()).as("chart reaches " + trials + " points; seen " + counts + "; server: " + serverLog()).isLessThan(deadline);
        int points = browser.evaluate("window.automergeDashboard.points()").asInt();
        if (counts.isEmpty() || counts.get(counts.size() - 1) != points) {
          counts.add(points);
        }
        Thread.sleep(150);
      }
      System.out.println("serve: dashboard chart point counts as seen by chromium: " + counts);
      assertThat(counts).isSorted();
      assertThat(counts.stream().filter(n -> n > 0 && n < trials).count()).as("intermediate counts " + counts).isGreaterThanOrEqualTo(2);
      awaitTrue(() -> browser.evaluate("document.querySelector('#summary .state')?.textContent === 'completed'"), Duration.ofMinutes(3));
      Thread.sleep(500); // the last redraw
      // What the page shows: a point per trial over the technique series, the incumbent's blocks, the worker, every trial.
      assertThat(browser.evaluate("window.automergeDashboard.drawnCosts()").asInt()).isEqualTo(trials);
      assertThat(browser.evaluate("document.querySelectorAll('#incumbent tr').length").asInt()).isEqualTo(1 + 3);
      assertThat(browser.evaluate("document.querySelectorAll('#trials tr').length").asInt()).isEqualTo(1 + trials);
      assertThat(browser.evaluate("document.querySelectorAll('#params .uplot').length").asInt()).isEqualTo(3);
      assertThat(browser.evaluate("document.getElementById('workers').textContent").asText()).containsPattern("worker-127\\.0\\.0\\.1:[0-9]+-cpu-0");
      assertThat(browser.evaluate("document.querySelector('#summary').textContent").asText()).contains(trials + "/" + trials + " trials");
      Path png = Path.of("target", "dashboard", "dashboard.png");
      browser.screenshot(png);
      assertThat(Files.size(png)).isGreaterThan(10_000);
      System.out.println("serve: dashboard screenshot " + png.toAbsolutePath());
    }
  }

  interface Check {
    JsonNode get() throws Exception;
  }

  static void awaitTrue(Check check, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode v = check.get();
      if (v != null && v.asBoolean()) {
        return;
      }
      assertThat(System.nanoTime()).as("condition within " + timeout).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  @Test
  @Order(3)
  void aSearchPostedAsJsonIsCancelledAndItsStreamEnds() throws Exception {
    String id = "api-cancel-" + RUN;
    JsonNode spec = Json.mapper().readTree(Json.line(new com.fasterxml.jackson.databind.ObjectMapper(
        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(spec(id, 200, ""))));
    HttpResponse<String> created = post(api + "/api/searches", spec.toString(), "application/json");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    HttpResponse<String> cancelled = post(api + "/api/searches/" + id + "/cancel", "", "text/plain");
    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
    assertThat(json(cancelled).get("state").asText()).isEqualTo("cancelled");
    assertThat(getJson(api + "/api/searches/" + id).get("state").asText()).isEqualTo("cancelled");
    SseReader sse = SseReader.open(api + "/api/searches/" + id + "/events", e -> {});
    List<SseReader.Event> events = sse.awaitEnd(Duration.ofSeconds(60));
    assertThat(events.get(events.size() - 1).type()).isEqualTo("SearchCancelled");
  }

  @Test
  @Order(4)
  void healthDocsAndDashboardAssetsAreServed() throws Exception {
    for (String base : List.of(api, management)) {
      assertThat(get(base + "/ready", false).statusCode()).as(base + "/ready").isEqualTo(200);
      assertThat(get(base + "/alive", false).statusCode()).as(base + "/alive").isEqualTo(200);
    }
    JsonNode openapi = Json.mapper().readTree(get(api + "/api/openapi.json", false).body());
    assertThat(openapi.get("openapi").asText()).startsWith("3.");
    assertThat(openapi.get("paths").fieldNames()).toIterable().contains(
        "/api/searches", "/api/searches/{id}", "/api/searches/{id}/trials", "/api/searches/{id}/cancel",
        "/api/searches/{id}/events", "/api/searches/{id}/report", "/api/workers", "/metrics", "/ready", "/alive");
    assertThat(get(api + "/api/docs", false).body()).contains("swagger-ui-bundle.js", "/api/openapi.json");
    assertThat(get(api + "/webjars/swagger-ui/5.34.1/swagger-ui-bundle.js", false).statusCode()).isEqualTo(200);
    HttpResponse<String> page = get(api + "/", false);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", "/dashboard/dashboard.js");
    assertThat(get(api + "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", false).statusCode()).isEqualTo(200);
    assertThat(get(api + "/dashboard/dashboard.js", false).statusCode()).isEqualTo(200);
  }

  // ---- HTTP helpers

  static HttpResponse<String> get(String url, boolean token) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET();
    return send(token ? b.header("Authorization", "Bearer " + TOKEN) : b);
  }

  static JsonNode getJson(String url) throws IOException, InterruptedException {
    HttpResponse<String> r = get(url, true);
    assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
    return json(r);
  }

  static HttpResponse<String> post(String url, String body, String contentType) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(3))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) throws IOException {
    return Json.mapper().readTree(r.body());
  }

  static void assertError(HttpResponse<String> r, int status, String message) throws IOException {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    String error = json(r).get("error").asText();
    assertThat(error).contains(message).doesNotContain("\n").doesNotContain("Exception");
  }

  /** {@code name{labels}} → value of every sample line of /metrics. */
  static Map<String, Double> scrape() throws IOException, InterruptedException {
    HttpResponse<String> r = get(api + "/metrics", true);
    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, Double> out = new java.util.TreeMap<>();
    Matcher m = Pattern.compile("(?m)^(automerge_[^ ]+) ([^ ]+)$").matcher(r.body());
    while (m.find()) {
      out.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return out;
  }

  static Path latestLog() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("stderr-")).sorted().reduce((a, b) -> b).orElseThrow();
    }
  }

  static String serverLog() {
    try {
      return Files.readString(serverLog);
    } catch (IOException e) {
      return "";
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  /** A server-sent-events client: reads the stream on its own thread and keeps every event. */
  static final class SseReader implements AutoCloseable {
    record Event(String type, long id, JsonNode data) {}

    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile Stream<String> lines;

    static SseReader open(String url, java.util.function.Consumer<Event> onEvent) throws Exception {
      SseReader reader = new SseReader();
      HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(url))
          .header("Authorization", "Bearer " + TOKEN).header("Accept", "text/event-stream").GET().build(),
          HttpResponse.BodyHandlers.ofLines());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
      reader.lines = response.body();
      Thread t = new Thread(() -> {
        String type = null;
        long id = 0;
        StringBuilder data = new StringBuilder();
        try {
          for (String line : (Iterable<String>) reader.lines::iterator) {
            if (line.startsWith("event:")) {
              type = line.substring(6).strip();
            } else if (line.startsWith("id:")) {
              id = Long.parseLong(line.substring(3).strip());
            } else if (line.startsWith("data:")) {
              data.append(line.substring(5).strip());
            } else if (line.isEmpty() && data.length() > 0) {
              Event e = new Event(type, id, Json.mapper().readTree(data.toString()));
              reader.events.add(e);
              onEvent.accept(e);
              data.setLength(0);
            }
          }
          reader.ended.complete(null);
        } catch (Exception e) {
          reader.ended.completeExceptionally(e);
        }
      }, "sse-reader");
      t.setDaemon(true);
      t.start();
      return reader;
    }

    List<Event> awaitType(String type, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        synchronized (events) {
          if (events.stream().anyMatch(e -> e.type().equals(type))) {
            return List.copyOf(events);
          }
        }
        assertThat(ended.isCompletedExceptionally()).as("event stream failed").isFalse();
        Thread.sleep(100);
      }
      throw new AssertionError("no " + type + " event within " + timeout + "; got " + events.stream().map(Event::type).toList()
          + "; server: " + serverLog());
    }

    List<Event> awaitEnd(Duration timeout) throws Exception {
      ended.get(timeout.toSeconds(), TimeUnit.SECONDS);
      return List.copyOf(events);
    }

    @Override
    public void close() {
      if (lines != null) {
        lines.close();
      }
    }
  }
}
