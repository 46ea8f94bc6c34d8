package io.automerge.model.train;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How specialized a pair's fine-tunes are: for each fine-tune, how far its loss on its own task
 * lies below the best other fine-tune's loss on that task (val split, as training.json scores it).
 * A pair is only worth merging when each model is better at its own task.
 */
final class PairSpecialization {
  /** One fine-tune: its own task, its loss there, the other fine-tunes' best loss there. */
  record Entry(String model, String task, double ownLoss, String other, double otherLoss) {
    /** Share by which the own loss lies below the other's (0.2 = 20 % lower). */
    double reduction() {
      return 1 - ownLoss / otherLoss;
    }
  }

  private PairSpecialization() {}

  /** {@code losses}: model name -> task -> val loss, for every fine-tune and every task of the pair. */
  static List<Entry> of(List<PairSpec.TaskModel> models, Map<String, Map<String, Double>> losses) {
    return models.stream().map(m -> {
      String other = null;
      double otherLoss = Double.POSITIVE_INFINITY;
      for (PairSpec.TaskModel o : models) {
        double loss = losses.get(o.name()).get(m.task());
        if (!o.name().equals(m.name()) && loss < otherLoss) {
          other = o.name();
          otherLoss = loss;
        }
      }
      return new Entry(m.name(), m.task(), losses.get(m.name()).get(m.task()), other, otherLoss);
    }).toList();
  }

  static ObjectNode toJson(List<Entry> entries) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (Entry e : entries) {
      out.putObject(e.model())
          .put("task", e.task())
          .put("loss", e.ownLoss())
          .put("other", e.other())
          .put("other_loss", e.otherLoss())
          .put("reduction", e.reduction());
    }
    return out;
  }

  static String describe(String pair, List<Entry> entries) {
    Map<String, String> lines = new LinkedHashMap<>();
    for (Entry e : entries) {
      lines.put(e.model(), String.format("%s: %s's val loss on %s is %.1f %% below %s's (%.4f vs %.4f)",
          pair, e.model(), e.task(), 100 * e.reduction(), e.other(), e.ownLoss(), e.otherLoss()));
    }
    return String.join(System.lineSeparator(), lines.values());
  }
}
