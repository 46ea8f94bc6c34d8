package io.automerge.export;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the journal keeps of an export's report: the headline figures. The whole report is the
 * export's report.json; journals written before this record held that whole map, and read back as
 * these fields of it.
 *
 * @param preservationRate PR per task on test, in percent
 * @param preservationDiscrepancy PD = max PR − min PR
 * @param exportMillis how long the export took
 * @param wallMillis the search's wall time up to the export
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExportReport(
    @JsonProperty("preservation_rate") Map<String, Double> preservationRate,
    @JsonProperty("preservation_discrepancy") Double preservationDiscrepancy,
    @JsonProperty("export_millis") Long exportMillis,
    @JsonProperty("wall_millis") Long wallMillis) {

  public static final ExportReport EMPTY = new ExportReport(Map.of(), null, null, null);

  public ExportReport {
    preservationRate = preservationRate == null ? Map.of() : new LinkedHashMap<>(preservationRate);
  }

  /** The headline figures of a report.json map as {@link SearchExport} writes it. */
  @SuppressWarnings("unchecked")
  public static ExportReport of(Map<String, Object> report) {
    Map<String, Double> rates = new LinkedHashMap<>();
    if (report.get("preservation_rate") instanceof Map<?, ?> m) {
      ((Map<String, Object>) m).forEach((task, v) -> rates.put(task, v instanceof Number n ? n.doubleValue() : null));
    }
    return new ExportReport(rates, number(report.get("preservation_discrepancy")),
        report.get("export_millis") instanceof Number n ? n.longValue() : null,
        report.get("wall_millis") instanceof Number n ? n.longValue() : null);
  }

  private static Double number(Object value) {
    return value instanceof Number n ? n.doubleValue() : null;
  }
}
