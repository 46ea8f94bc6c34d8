package io.automerge.serve;

import io.automerge.InvalidInputException;
import io.automerge.actors.SearchProtocol;
import io.automerge.actors.SearchEvent;
import io.automerge.actors.SearchState;
import io.automerge.cluster.SearchJournal;
import io.automerge.cluster.SearchNode;
import io.automerge.metrics.SearchMetrics;
import io.automerge.search.ProposalStrategy;
import io.automerge.search.SearchSpec;
import io.automerge.status.SearchStatusView;
import io.automerge.util.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.management.javadsl.CheckResult;
import org.apache.pekko.management.javadsl.HealthChecks;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of a node: the search API (JSON through {@link Json}), live events as SSE, the
 * dashboard and API docs (assets from the jar), Prometheus metrics and the health checks.
 * Requests only read the journal or ask the search's coordinator: a bad one is refused before
 * anything reaches a running search.
 */
public final class ApiRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);
  /** How long a start or cancel waits for the search's coordinator (automerge.search.start-timeout). */
  private final Duration ask;
  private final SearchNode node;
  private final ApiSettings settings;
  private final SpecAdmission admission;
  private final SearchJournal searches;
  private final CassandraReadJournal journal;
  private final SearchCatalog catalog;
  private final WorkerPool workers;
  private final SearchMetrics metrics;
  private final HealthChecks health;
  private final Executor blocking;
  private final Materializer materializer;

  public ApiRoutes(SearchNode node, ApiSettings settings, CassandraReadJournal journal, SearchCatalog catalog,
      WorkerPool workers, SearchMetrics metrics, HealthChecks health, Executor blocking) {
    this.node = node;
    this.ask = node.system().settings().config().getDuration("automerge.search.start-timeout");
    this.settings = settings;
    this.admission = new SpecAdmission(new AllowedRoots(settings.allowedRoots()), settings.allowCommandTasks());
    this.searches = new SearchJournal(node.system());
    this.journal = journal;
    this.catalog = catalog;
    this.workers = workers;
    this.metrics = metrics;
    this.health = health;
    this.blocking = blocking;
    this.materializer = Materializer.matFromSystem(node.system());
  }

  public Route routes() {
    return concat(
        path("alive", () -> get(() -> completeWithFuture(health.aliveResult().thenApply(ApiRoutes::healthResponse)))),
        path("ready", () -> get(() -> completeWithFuture(health.readyResult().thenApply(ApiRoutes::healthResponse)))),
        // Assets carry no data: the page and its scripts load without a token (the page then sends it).
        pathSingleSlash(() -> get(() -> getFromResource("dashboard/index.html", ContentTypes.TEXT_HTML_UTF8))),
        pathPrefix("dashboard", () -> get(() -> getFromResourceDirectory("dashboard"))),
        pathPrefix("webjars", () -> get(() -> getFromResourceDirectory("META-INF/resources/webjars"))),
        path(PathMatchers.segment("api").slash("openapi.json"), () -> get(() -> getFromResource("api/openapi.json", ContentTypes.APPLICATION_JSON))),
        path(PathMatchers.segment("api").slash("docs"), () -> get(() -> getFromResource("dashboard/api-docs.html", ContentTypes.TEXT_HTML_UTF8))),
        authorized(() -> concat(
            path("metrics", () -> get(() -> complete(HttpEntities.create(
                ContentTypes.parse(metrics.contentType()), metrics.scrape().getBytes(StandardCharsets.UTF_8))))),
            pathPrefix("api", () -> concat(
                path("workers", () -> get(() -> json(StatusCodes.OK, workers.list()))),
                pathPrefix("searches", () -> concat(
                    pathEnd(() -> concat(
                        get(() -> json(StatusCodes.OK, list())),
                        post(() -> extractRequestEntity(entity -> completeWithFuture(create(entity)))))),
                    pathPrefix(PathMatchers.segment(), id -> concat(
                        pathEnd(() -> get(() -> withSearch(id, s -> ok(SearchStatusView.detail(s, System.currentTimeMillis()))))),
                        path("trials", () -> get(() -> withSearch(id, s -> ok(SearchStatusView.trials(s))))),
                        path("report", () -> get(() -> withSearch(id, this::report))),
                        path("cancel", () -> post(() -> completeWithFuture(cancel(id)))),
                        path("events", () -> get(() -> events(id))))))))),
            complete(error(StatusCodes.NOT_FOUND, "no such endpoint (see /api/docs)")))));
  }

  // ---- searches

  private Object list() {
    return catalog.states().stream()
        .sorted(Comparator.comparingLong(SearchState::startedAtMillis).reversed())
        .map(SearchStatusView::summary)
        .toList();
  }

  /** Parse, check, preflight (off the HTTP threads), then Start on the search's coordinator. */
  private CompletionStage<HttpResponse> create(RequestEntity entity) {
    if (entity.getContentLengthOption().orElse(0) > settings.maxBodyBytes()) {
      return CompletableFuture.completedFuture(tooLarge());
    }
    return entity.toStrict(60_000, settings.maxBodyBytes(), materializer)
        .thenApply(strict -> strict.getData().utf8String())
        .thenCompose(body -> CompletableFuture.supplyAsync(() -> admission.admit(body), blocking)
            .orTimeout(settings.preflightTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
        .thenCompose(this::start)
        .exceptionally(this::failure);
  }

  private CompletionStage<HttpResponse> start(SearchSpec spec) {
    return node.search(spec.id())
        .<SearchProtocol.StartReply>ask(r -> new SearchProtocol.Start(spec, ProposalStrategy.bayesian(), r), ask)
        .thenApply(reply -> {
          if (reply instanceof SearchProtocol.Refused refused) {
            return error(StatusCodes.CONFLICT, refused.reason());
          }
          catalog.follow(spec.id());
          return response(StatusCodes.CREATED, Map.of("id", spec.id()));
        });
  }

  private CompletionStage<HttpResponse> cancel(String id) {
    return searches.currentState(id).thenCompose(state -> state.phase() == SearchState.Phase.NEW
        ? CompletableFuture.completedFuture(unknown(id))
        : node.search(id).<SearchState>ask(SearchProtocol.Cancel::new, ask)
            .thenApply(after -> response(StatusCodes.OK, SearchStatusView.summary(after))))
        .exceptionally(this::failure);
  }

  private HttpResponse report(SearchState state) {
    if (state.export() == null) {
      return error(StatusCodes.NOT_FOUND, "search '" + state.id() + "' has no report yet (state "
          + SearchStatusView.stateName(state) + ")");
    }
    Path file = Path.of(state.export().dir(), "report.json");
    try {
      return HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Files.readAllBytes(file)));
    } catch (java.io.IOException e) {
      return error(StatusCodes.NOT_FOUND, "search '" + state.id() + "': " + file + " is not readable on this node");
    }
  }

  /**
   * Every event of the search as it is persisted: {@code event:} the event's type, {@code id:}
   * its sequence number (a reconnecting client sends Last-Event-ID and gets the rest), {@code data:}
   * the event as JSON. Ends after the search's last event.
   */
  private Route events(String id) {
    return optionalHeaderValueByName("Last-Event-ID", last -> withSearch(id, state -> {
      long from = last.map(ApiRoutes::parseLong).orElse(0L) + 1;
      Source<ServerSentEvent, NotUsed> source = journal
          .eventsByPersistenceId(SearchJournal.persistenceId(id), from, Long.MAX_VALUE)
          .takeWhile(env -> !terminal((SearchEvent) env.event()), true)
          .map(env -> ServerSentEvent.create(Json.line(env.event()),
              Optional.of(env.event().getClass().getSimpleName()), Optional.of(Long.toString(env.sequenceNr())),
              OptionalInt.empty()))
          .keepAlive(Duration.ofSeconds(15), ServerSentEvent::heartbeat);
      return source;
    }, source -> completeOK(source, EventStreamMarshalling.toEventStream())));
  }

  private static boolean terminal(SearchEvent e) {
    return e instanceof SearchEvent.ModelExported || e instanceof SearchEvent.SearchFailed
        || e instanceof SearchEvent.SearchCancelled;
  }

  private static long parseLong(String s) {
    try {
      return Math.max(0, Long.parseLong(s.strip()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** 404 for a search the journal does not know; otherwise the answer built from its state. */
  private Route withSearch(String id, Function<SearchState, HttpResponse> answer) {
    return completeWithFuture(searches.currentState(id)
        .thenApply(state -> state.phase() == SearchState.Phase.NEW ? unknown(id) : answer.apply(state))
        .exceptionally(this::failure));
  }

  private <T> Route withSearch(String id, Function<SearchState, T> make, Function<T, Route> route) {
    return onSuccess(searches.currentState(id), state -> state.phase() == SearchState.Phase.NEW
        ? complete(unknown(id))
        : route.apply(make.apply(state)));
  }

  // ---- safety

  /** With a token configured: {@code Authorization: Bearer TOKEN} or {@code ?access_token=TOKEN}. */
  private Route authorized(Supplier<Route> inner) {
    if (!settings.tokenRequired()) {
      return inner.get();
    }
    byte[] expected = settings.token().getBytes(StandardCharsets.UTF_8);
    return optionalHeaderValueByName("Authorization", header -> parameterOptional("access_token", param -> {
      String given = header.filter(h -> h.startsWith("Bearer ")).map(h -> h.substring(7).strip()).orElse(param.orElse(""));
      if (MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected)) {
        return inner.get();
      }
      return complete(error(StatusCodes.UNAUTHORIZED, "missing or wrong bearer token (Authorization: Bearer $AUTOMERGE_API_TOKEN)")
          .addHeader(RawHeader.create("WWW-Authenticate", "Bearer")));
    }));
  }

  private HttpResponse failure(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof InvalidInputException bad) {
        return error(StatusCodes.BAD_REQUEST, bad.getMessage());
      }
      if (c instanceof EntityStreamSizeException) {
        return tooLarge();
      }
    }
    if (cause instanceof TimeoutException || cause instanceof org.apache.pekko.pattern.AskTimeoutException) {
      return error(StatusCodes.SERVICE_UNAVAILABLE, "no answer in time (preflight: automerge.api.preflight-timeout; "
          + "the search's coordinator: " + ask.toSeconds() + " s)");
    }
    log.error("request failed", cause);
    return error(StatusCodes.INTERNAL_SERVER_ERROR, "internal error: " + cause);
  }

  private HttpResponse tooLarge() {
    return error(StatusCodes.PAYLOAD_TOO_LARGE, "spec: larger than " + settings.maxBodyBytes()
        + " bytes (automerge.api.max-body)");
  }

  private static HttpResponse unknown(String id) {
    return error(StatusCodes.NOT_FOUND, "no search with id '" + id + "' in the journal");
  }

  // ---- responses

  private static HttpResponse healthResponse(CheckResult result) {
    return result.isSuccess().booleanValue()
        ? HttpResponse.create().withEntity(ContentTypes.TEXT_PLAIN_UTF8, "OK")
        : HttpResponse.create().withStatus(StatusCodes.INTERNAL_SERVER_ERROR)
            .withEntity(ContentTypes.TEXT_PLAIN_UTF8, "Not Healthy: " + result.failure().orElse(""));
  }

  private static HttpResponse ok(Object body) {
    return response(StatusCodes.OK, body);
  }

  private Route json(StatusCode status, Object body) {
    return complete(response(status, body));
  }

  static HttpResponse response(StatusCode status, Object body) {
    return HttpResponse.create().withStatus(status).withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.line(body)));
  }

  static HttpResponse error(StatusCode status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    return response(status, body);
  }

}
