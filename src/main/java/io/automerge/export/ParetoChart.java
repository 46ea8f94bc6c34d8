package io.automerge.export;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * pareto.png from report.json's map alone (XChart, as the experiment figures): each scored front
 * member's test PR per task, the exported one marked, the fixed techniques for reference (the best
 * of them named). Two
 * tasks: PR of one over PR of the other; more: one line per member over the tasks.
 */
public final class ParetoChart {
  public static final String FILE = "pareto.png";
  private static final int WIDTH = 900;
  private static final int HEIGHT = 600;

  private ParetoChart() {}

  /** Writes {@link #FILE} into {@code dir}; the report must hold {@code pareto_front}. */
  public static String write(Map<String, Object> report, Path dir) {
    System.setProperty("java.awt.headless", "true");
    List<Map<String, Object>> members = list(report.get("pareto_front"));
    List<String> tasks = new ArrayList<>(rates(members.get(0)).keySet());
    Chart<?, ?> chart = tasks.size() == 2 ? scatter(report, members, tasks) : lines(report, members, tasks);
    try {
      BitmapEncoder.saveBitmap(chart, dir.resolve(FILE).toString(), BitmapEncoder.BitmapFormat.PNG);
      return FILE;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(FILE), e);
    }
  }

  static XYChart scatter(Map<String, Object> report, List<Map<String, Object>> members, List<String> tasks) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
        .title("Pareto front of " + report.get("search") + " (validation front, test PR)")
        .xAxisTitle("PR " + tasks.get(0) + " %").yAxisTitle("PR " + tasks.get(1) + " %").build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setMarkerSize(10);
    chart.getStyler().setXAxisDecimalPattern("0.0").setYAxisDecimalPattern("0.0");
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (Map<String, Object> m : members) {
      if (!Boolean.TRUE.equals(m.get("exported"))) {
        x.add(rates(m).get(tasks.get(0)));
        y.add(rates(m).get(tasks.get(1)));
      }
    }
    if (!x.isEmpty()) {
      chart.addSeries("front members", x, y).setMarker(SeriesMarkers.CIRCLE).setMarkerColor(new Color(0x1f77b4));
    }
    for (Map<String, Object> m : members) {
      double px = rates(m).get(tasks.get(0));
      double py = rates(m).get(tasks.get(1));
      if (Boolean.TRUE.equals(m.get("exported"))) {
        chart.addSeries("exported (trial " + m.get("trial") + ")", new double[] {px}, new double[] {py})
            .setMarker(SeriesMarkers.DIAMOND).setMarkerColor(Color.RED);
      }
      chart.addAnnotation(new AnnotationText("  " + m.get("trial"), px, py, false));
    }
    List<Double> fx = new ArrayList<>();
    List<Double> fy = new ArrayList<>();
    Map<String, Object> bestFixed = null;
    for (Map<String, Object> fixed : list(report.get("fixed"))) {
      fx.add(rates(fixed).get(tasks.get(0)));
      fy.add(rates(fixed).get(tasks.get(1)));
      if (bestFixed == null || meanRate(fixed) > meanRate(bestFixed)) {
        bestFixed = fixed;
      }
    }
    if (bestFixed != null) {
      // only the best one is named: the fixed techniques sit close together and their names would overlap
      chart.addAnnotation(new AnnotationText(bestFixed.get("technique") + "  ", rates(bestFixed).get(tasks.get(0)) - 1.5,
          rates(bestFixed).get(tasks.get(1)) - 0.4, false));
    }
    if (!fx.isEmpty()) {
      chart.addSeries("fixed techniques (equal weights, density 0.65)", fx, fy)
          .setMarker(SeriesMarkers.SQUARE).setMarkerColor(Color.GRAY);
    }
    return chart;
  }

  static CategoryChart lines(Map<String, Object> report, List<Map<String, Object>> members, List<String> tasks) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
        .title("Pareto front of " + report.get("search") + " (validation front, test PR per task)")
        .xAxisTitle("task").yAxisTitle("PR %").build();
    chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal);
    for (Map<String, Object> m : members) {
      boolean exported = Boolean.TRUE.equals(m.get("exported"));
      CategorySeries series = chart.addSeries("trial " + m.get("trial") + (exported ? " (exported)" : ""), tasks,
          tasks.stream().map(t -> rates(m).get(t)).toList());
      if (exported) {
        series.setLineColor(Color.RED);
        series.setMarkerColor(Color.RED);
      }
    }
    return chart;
  }

  private static double meanRate(Map<String, Object> entry) {
    return rates(entry).values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object value) {
    return value == null ? List.of() : (List<Map<String, Object>>) value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Double> rates(Map<String, Object> entry) {
    return (Map<String, Double>) entry.get("preservation_rate");
  }
}
