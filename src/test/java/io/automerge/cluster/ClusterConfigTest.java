package io.automerge.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.automerge.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {
  private static final Config APP = ConfigFactory.load();

  @Test
  void seedNodesFromTheEnvironmentAsHostPortOrAddresses() {
    Config c = ClusterConfig.resolve(APP, Map.of(ClusterConfig.SEED_NODES_ENV, "127.0.0.1:25520, pekko://automerge@10.0.0.2:25520"));
    assertThat(c.getStringList("pekko.cluster.seed-nodes"))
        .containsExactly("pekko://automerge@127.0.0.1:25520", "pekko://automerge@10.0.0.2:25520");
    assertThat(c.getBoolean("pekko.cluster.sharding.remember-entities")).isTrue();
    assertThat(c.getString("pekko.cluster.sharding.remember-entities-store")).isEqualTo("eventsourced");
  }

  @Test
  void aNodeAloneRemembersNoSearches() {
    Config c = ClusterConfig.resolve(APP, Map.of());
    assertThat(c.getStringList("pekko.cluster.seed-nodes")).isEmpty();
    assertThat(c.getBoolean("pekko.cluster.sharding.remember-entities")).isFalse();
  }

  @Test
  void productionDowningIsKeepMajority() {
    assertThat(APP.getString("pekko.cluster.downing-provider-class")).endsWith("SplitBrainResolverProvider");
    assertThat(APP.getString("pekko.cluster.split-brain-resolver.active-strategy")).isEqualTo("keep-majority");
    assertThat(APP.getDuration("pekko.cluster.split-brain-resolver.stable-after").toSeconds()).isEqualTo(20);
  }

  @Test
  void aBadSeedIsOneLine() {
    assertThatThrownBy(() -> ClusterConfig.resolve(APP, Map.of(ClusterConfig.SEED_NODES_ENV, "127.0.0.1")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("AUTOMERGE_SEED_NODES: '127.0.0.1' is not HOST:PORT or pekko://automerge@HOST:PORT");
    assertThatThrownBy(() -> ClusterConfig.resolve(APP, Map.of(ClusterConfig.SEED_NODES_ENV, "pekko://other@h:1")))
        .isInstanceOf(InvalidInputException.class);
  }
}
