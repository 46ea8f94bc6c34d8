package io.automerge.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.automerge.cli.AutoMerge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What CI can check of docker/ and ops/k8s/ without a Docker engine or a cluster: the YAML is
 * well-formed, every AUTOMERGE_* variable and -D key they set is one the configuration reads,
 * ports and probes are the ones the code serves, and the commands exist.
 */
class DeploymentFilesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path CONF = Path.of("conf", "application.conf");
  private static final Config CONFIG = ConfigFactory.parseFile(CONF.toFile()).resolve(
      com.typesafe.config.ConfigResolveOptions.defaults().setAllowUnresolved(true));
  private static final Config DEFAULTS = ConfigFactory.load();

  @Test
  void composeRunsTwoServeNodesAgainstCassandra5WithKeysTheConfigReads() throws IOException {
    JsonNode compose = YAML.readTree(Path.of("docker", "docker-compose.yml").toFile());
    JsonNode services = compose.get("services");
    assertThat(services.get("cassandra").get("image").asText()).startsWith("cassandra:5");
    List<String> nodes = new ArrayList<>();
    services.fields().forEachRemaining(e -> {
      if (e.getValue().has("build")) {
        nodes.add(e.getKey());
        assertThat(e.getValue().at("/build/dockerfile").asText()).isEqualTo("docker/Dockerfile");
        assertThat(Files.exists(Path.of(e.getValue().at("/build/dockerfile").asText()))).isTrue();
        assertThat(subcommands()).as(e.getKey()).contains(e.getValue().get("command").get(0).asText());
        checkEnvironment(e.getKey(), e.getValue().get("environment"));
        assertThat(e.getValue().at("/environment/AUTOMERGE_API_PORT").asInt()).isEqualTo(DEFAULTS.getInt("automerge.api.port"));
        assertThat(e.getValue().at("/healthcheck/test").toString()).contains(":" + DEFAULTS.getInt("pekko.management.http.port") + "/ready");
      }
    });
    assertThat(nodes).hasSize(2);
  }

  @Test
  void kubernetesManifestsProbeTheManagementEndpointsAndRequestGpus() throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("ops", "k8s"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(f.toFile())) {
          for (JsonNode doc : it.readAll()) {
            assertThat(doc.has("apiVersion") && doc.has("kind") && doc.at("/metadata/name").isTextual()).as(f + ": " + doc).isTrue();
            docs.add(doc);
          }
        }
      }
    }
    JsonNode node = docs.stream().filter(d -> Set.of("Deployment", "StatefulSet").contains(d.get("kind").asText())).findFirst().orElseThrow();
    JsonNode container = node.at("/spec/template/spec/containers/0");
    assertThat(subcommands()).contains(container.at("/args/0").asText());
    Map<String, Integer> ports = new java.util.HashMap<>();
    container.get("ports").forEach(p -> ports.put(p.get("name").asText(), p.get("containerPort").asInt()));
    assertThat(ports).containsEntry("http", DEFAULTS.getInt("automerge.api.port"))
        .containsEntry("management", DEFAULTS.getInt("pekko.management.http.port"));
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/" + DEFAULTS.getString("pekko.management.health-checks.readiness-path"));
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/" + DEFAULTS.getString("pekko.management.health-checks.liveness-path"));
    assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("management");
    assertThat(container.at("/resources/limits").has("nvidia.com/gpu")).isTrue();
    assertThat(container.at("/resources/requests").has("nvidia.com/gpu")).isTrue();
    assertThat(DEFAULTS.getObject("pekko.management.health-checks.readiness-checks").unwrapped())
        .as("readiness includes Cassandra's health").containsValue("org.apache.pekko.persistence.cassandra.healthcheck.CassandraHealthCheck");

    JsonNode configMap = docs.stream().filter(d -> d.get("kind").asText().equals("ConfigMap")).findFirst().orElseThrow();
    checkEnvironment("ConfigMap", configMap.get("data"));
    container.get("env").forEach(e -> {
      String name = e.get("name").asText();
      if (name.startsWith("AUTOMERGE_")) {
        assertThat(referencedVariables()).as("env " + name).contains(name);
      } else if (name.equals("JAVA_TOOL_OPTIONS")) {
        checkSystemProperties(e.get("value").asText());
      }
    });
    assertThat(Path.of("ops", "k8s", "RUNBOOK.md")).content().contains("## Start", "## Scale", "## Resume", "## Back up the keyspace");
  }

  @Test
  void theImageExposesTheServedPorts() throws IOException {
    String dockerfile = Files.readString(Path.of("docker", "Dockerfile"));
    Matcher expose = Pattern.compile("(?m)^EXPOSE (.+)$").matcher(dockerfile);
    assertThat(expose.find()).isTrue();
    assertThat(expose.group(1).split(" ")).contains(
        Integer.toString(DEFAULTS.getInt("automerge.api.port")), Integer.toString(DEFAULTS.getInt("pekko.management.http.port")));
  }

  /** Every AUTOMERGE_* variable is read by application.conf; JAVA_TOOL_OPTIONS only sets keys that exist. */
  private static void checkEnvironment(String where, JsonNode env) {
    env.fields().forEachRemaining(e -> {
      if (e.getKey().startsWith("AUTOMERGE_")) {
        assertThat(referencedVariables()).as(where + ": " + e.getKey()).contains(e.getKey());
      } else if (e.getKey().equals("JAVA_TOOL_OPTIONS")) {
        checkSystemProperties(e.getValue().asText());
      }
    });
  }

  private static void checkSystemProperties(String options) {
    Matcher d = Pattern.compile("-D([^=\\s]+)=").matcher(options);
    int found = 0;
    while (d.find()) {
      found++;
      String key = d.group(1).replaceFirst("\\.[0-9]+$", ""); // seed-nodes.0 sets an element of a list
      assertThat(DEFAULTS.hasPathOrNull(key)).as("-D" + d.group(1) + " is a configuration key").isTrue();
    }
    assertThat(found).isPositive();
  }

  private static Set<String> referencedVariables() {
    try {
      Set<String> names = new TreeSet<>();
      Matcher m = Pattern.compile("\\$\\{\\?(AUTOMERGE_[A-Z_]+)}").matcher(Files.readString(CONF));
      while (m.find()) {
        names.add(m.group(1));
      }
      assertThat(CONFIG.hasPath("automerge.api")).isTrue();
      return names;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Set<String> subcommands() {
    return new CommandLine(new AutoMerge()).getSubcommands().keySet();
  }
}
