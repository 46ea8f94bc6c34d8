package io.automerge.serve;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.automerge.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths of posted specs against the allowed roots, on a real file system with real symlinks. */
class AllowedRootsTest {
  @TempDir Path dir;

  @Test
  void insideIsAllowedEvenWhereNothingExistsYetAndLinksStayingInsideToo() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root/models/base"));
    Files.createSymbolicLink(dir.resolve("root/alias"), root.resolve("models"));
    AllowedRoots roots = new AllowedRoots(List.of(dir.resolve("root")));
    assertThatCode(() -> roots.check("base_model", root.toString())).doesNotThrowAnyException();
    assertThatCode(() -> roots.check("output", dir.resolve("root/out/new/dir").toString())).doesNotThrowAnyException();
    assertThatCode(() -> roots.check("base_model", dir.resolve("root/alias/base").toString())).doesNotThrowAnyException();
  }

  @Test
  void traversalAndLinksOutOfTheRootAreRefusedNamingTheField() throws Exception {
    Files.createDirectories(dir.resolve("root/sub"));
    Path outside = Files.createDirectories(dir.resolve("outside/models"));
    Files.createSymbolicLink(dir.resolve("root/escape"), outside);
    Files.createSymbolicLink(dir.resolve("root/sub/up"), dir.resolve("outside"));
    AllowedRoots roots = new AllowedRoots(List.of(dir.resolve("root")));
    assertThatThrownBy(() -> roots.check("spec: base_model", dir.resolve("root/../outside/models").toString()))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("spec: base_model: ").hasMessageContaining("outside the allowed roots");
    assertThatThrownBy(() -> roots.check("spec: models[1].path", dir.resolve("root/escape/models").toString()))
        .hasMessageStartingWith("spec: models[1].path: ");
    // A link's ".." is where the link points: root/sub/up/.. is the temp dir, not root/sub.
    assertThatThrownBy(() -> roots.check("spec: output", dir.resolve("root/sub/up/../outside/new").toString()))
        .hasMessageStartingWith("spec: output: ");
    assertThatThrownBy(() -> roots.check("spec: output", dir.resolve("root/escape/not/yet").toString()))
        .hasMessageStartingWith("spec: output: ");
  }

  @Test
  void offLoopbackWithoutATokenTheNodeRefusesToStart() {
    var config = ConfigFactory.parseString("automerge.api.token = \"\"").withFallback(ConfigFactory.load());
    assertThatThrownBy(() -> ApiSettings.from(config, "0.0.0.0", 0, List.of(dir)).checked())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("AUTOMERGE_API_TOKEN");
    assertThatCode(() -> ApiSettings.from(config, "127.0.0.1", 0, List.of(dir)).checked()).doesNotThrowAnyException();
    assertThatCode(() -> ApiSettings.from(config, "::1", 0, List.of(dir)).checked()).doesNotThrowAnyException();
    var withToken = ConfigFactory.parseString("automerge.api.token = secret").withFallback(config);
    assertThatCode(() -> ApiSettings.from(withToken, "0.0.0.0", 0, List.of(dir)).checked()).doesNotThrowAnyException();
  }
}
