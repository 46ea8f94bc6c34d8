package io.automerge.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.automerge.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonStdlibTest {
  @TempDir Path tmp;

  @Test
  void filesAreSortedByPathAndSplitByPosition() throws Exception {
    // 12 library files, written out of order, in a package too; plus what must be left out.
    for (int i = 11; i >= 0; i--) {
      write(i < 6 ? "m" + i + ".py" : "pkg/m" + i + ".py", "x = " + i + "\n");
    }
    write("site-packages/third_party.py", "y = 1\n");
    write("pkg/__pycache__/m6.py", "z = 1\n");
    write("notes.txt", "not python\n");
    write("empty.py", "");
    Files.createSymbolicLink(tmp.resolve("link.py"), tmp.resolve("m0.py"));

    PythonStdlib.Corpus corpus = PythonStdlib.load(tmp);
    assertThat(corpus.files()).containsExactly(
        "m0.py", "m1.py", "m2.py", "m3.py", "m4.py", "m5.py",
        "pkg/m10.py", "pkg/m11.py", "pkg/m6.py", "pkg/m7.py", "pkg/m8.py", "pkg/m9.py");
    // Position i: test when i % 10 == 0, val when i % 10 == 1.
    assertThat(texts(corpus.splits().test())).containsExactly("x = 0\n", "x = 8\n");
    assertThat(texts(corpus.splits().val())).containsExactly("x = 1\n", "x = 9\n");
    assertThat(corpus.splits().train()).hasSize(8);
  }

  @Test
  void theDebianStandardLibraryGivesAnHeldOutTenthAsATask() {
    PythonStdlib.Corpus corpus = PythonStdlib.load(PythonStdlib.root());
    assertThat(corpus.files()).contains("os.py", "json/__init__.py").noneMatch(f -> f.contains("site-packages") || f.contains("dist-packages"));
    int n = corpus.files().size();
    assertThat(corpus.splits().test()).hasSize((n + 9) / 10);
    assertThat(corpus.splits().train().size() + corpus.splits().val().size() + corpus.splits().test().size()).isEqualTo(n);

    Task task = Tasks.parse("python:stdlib", 64);
    assertThat(task.size(Split.TEST)).isGreaterThan(1000);
    assertThat(task.size(Split.VAL)).isGreaterThan(1000);
    assertThat(task.lowerIsBetter()).containsExactly("bits_per_byte");
    assertThat(Tasks.splitList("python:stdlib,fortunes:en")).containsExactly("python:stdlib", "fortunes:en");
  }

  @Test
  void aMissingLibraryOrAnUnknownCorpusIsOneClearLine() {
    assertThatThrownBy(() -> PythonStdlib.load(tmp.resolve("nowhere")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("apt-get install python3");
    assertThatThrownBy(() -> Tasks.parse("python:django"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("expected python:stdlib");
  }

  private void write(String relative, String text) throws Exception {
    Path p = tmp.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private static List<String> texts(List<byte[]> docs) {
    return docs.stream().map(d -> new String(d, StandardCharsets.UTF_8)).toList();
  }
}
