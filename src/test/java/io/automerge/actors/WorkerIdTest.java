package io.automerge.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WorkerIdTest {
  @Test
  void nameCarriesNodeAndDeviceAndParsesBack() {
    WorkerId id = WorkerId.of("127.0.0.1:25521", "gpu", 3);
    assertThat(id.name()).isEqualTo("worker-127.0.0.1:25521-gpu-3");
    assertThat(WorkerId.parse(id.name())).isEqualTo(id);
  }

  @Test
  void workersOfTwoNodesOnOneMachineDiffer() {
    assertThat(WorkerId.of("127.0.0.1:25521", "cpu", 0).name()).isNotEqualTo(WorkerId.of("127.0.0.1:25522", "cpu", 0).name());
  }

  @Test
  void namesFromBeforeNodeAddressesStillParse() {
    assertThat(WorkerId.parse("worker-cpu-0")).isEqualTo(new WorkerId("", "cpu", 0));
    assertThat(WorkerId.parse("worker-cpu-0").name()).isEqualTo("worker-cpu-0");
    assertThatThrownBy(() -> WorkerId.parse("segmenter")).isInstanceOf(IllegalArgumentException.class);
  }
}
