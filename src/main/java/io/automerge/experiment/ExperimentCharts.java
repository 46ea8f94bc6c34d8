package io.automerge.experiment;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The pictures of an experiment, drawn with XChart from report.json's map alone: PR bars per
 * method, RQ2 grids (heatmaps over weight × density, lines over weight), and best-cost-so-far
 * curves. Returns the file names written, in the order the report shows them.
 */
public final class ExperimentCharts {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 500;

  private ExperimentCharts() {}

  public static List<String> write(Map<String, Object> report, Path dir) {
    System.setProperty("java.awt.headless", "true");
    List<String> files = new ArrayList<>();
    files.add(save(prBars(report), dir, "pr-bars.png"));
    Map<String, Object> convergence = Reports.get(report, "convergence");
    if (!Reports.<Map<String, Object>>get(convergence, "curves").isEmpty() || convergence.containsKey("grid_curve")) {
      files.add(save(convergence(report), dir, "convergence.png"));
    }
    if (report.containsKey("rq2")) {
      List<String> tasks = Reports.get(report, "tasks");
      List<Map<String, Object>> points = Reports.get(Reports.<Map<String, Object>>get(report, "rq2"), "points");
      if (points.stream().anyMatch(p -> FixedPlans.WEIGHT_ONLY.contains((String) p.get("technique")))) {
        files.add(save(weightLines(points, tasks), dir, "rq2-weight.png"));
      }
      for (String technique : FixedPlans.WEIGHT_DENSITY) {
        for (int t = 0; t < tasks.size(); t++) {
          HeatMapChart chart = heatmap(points, technique, tasks.get(t));
          if (chart != null) {
            files.add(save(chart, dir, "rq2-" + technique + "-task" + (t + 1) + ".png"));
          }
        }
      }
    }
    return files;
  }

  /** Test PR per task and mean PR for every method (seeded methods: the median seed values). */
  static CategoryChart prBars(Map<String, Object> report) {
    Map<String, Map<String, Object>> methods = Reports.get(report, "methods");
    List<String> tasks = Reports.get(report, "tasks");
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH + 200).height(HEIGHT)
        .title("Preservation rate on the test split (" + report.get("spec") + ")")
        .xAxisTitle("method").yAxisTitle("PR %").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setXAxisLabelRotation(20);
    chart.getStyler().setYAxisDecimalPattern("0");
    List<String> names = new ArrayList<>(methods.keySet());
    for (String task : tasks) {
      List<Double> values = names.stream().map(m -> Reports.<Map<String, Double>>get(methods.get(m), "pr").get(task)).toList();
      chart.addSeries("PR " + task, names, values);
    }
    chart.addSeries("mean PR", names, names.stream().map(m -> Reports.number(methods.get(m).get("mean_pr"))).toList());
    return chart;
  }

  /** Best validation cost so far: each seed of each search kind, and the fixed plans' best. */
  @SuppressWarnings("unchecked")
  static XYChart convergence(Map<String, Object> report) {
    Map<String, Object> convergence = Reports.get(report, "convergence");
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
        .title("Best validation cost so far (lower is better; 1 = every source matched)")
        .xAxisTitle("evaluations").yAxisTitle("cost").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setYAxisDecimalPattern("0.000");
    Map<String, Color> colors = Map.of(ExperimentPlan.AUTOMERGE, new Color(0x1f77b4), ExperimentPlan.WHOLE, new Color(0x2ca02c),
        ExperimentPlan.RANDOM, new Color(0xff7f0e));
    Map<String, Object> curves = Reports.get(convergence, "curves");
    curves.forEach((method, perSeed) -> {
      List<List<Double>> seeds = (List<List<Double>>) perSeed;
      for (int s = 0; s < seeds.size(); s++) {
        XYSeries series = addCurve(chart, method + " s" + s, seeds.get(s));
        if (series != null) {
          series.setLineColor(colors.getOrDefault(method, Color.GRAY));
        }
      }
    });
    if (convergence.containsKey("grid_curve")) {
      List<Double> grid = (List<Double>) convergence.get("grid_curve");
      XYSeries series = addCurve(chart, "fixed plans, in evaluation order", grid);
      if (series != null) {
        series.setLineColor(Color.DARK_GRAY);
      }
      double best = Reports.number(convergence.get("grid_best_cost"));
      int longest = Math.max(grid.size(), curves.values().stream()
          .flatMap(c -> ((List<List<Double>>) c).stream()).mapToInt(List::size).max().orElse(1));
      XYSeries line = chart.addSeries("best fixed plan", new double[] {1, longest}, new double[] {best, best});
      line.setMarker(SeriesMarkers.NONE);
      line.setLineColor(Color.RED);
      // Bad early trials can cost many times the best: keep the axis on the region that decides.
      double lowest = curves.values().stream().flatMap(c -> ((List<List<Double>>) c).stream()).flatMap(List::stream)
          .filter(v -> v != null && !v.isNaN()).mapToDouble(Double::doubleValue).min().orElse(best);
      lowest = Math.min(lowest, best);
      chart.getStyler().setYAxisMin(lowest - 0.05 * (best - lowest + 0.01 * best));
      chart.getStyler().setYAxisMax(best + 0.25 * Math.abs(best - lowest) + 0.1 * (best - 1 > 0 ? best - 1 : 0.1));
    }
    return chart;
  }

  private static XYSeries addCurve(XYChart chart, String name, List<Double> curve) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (int i = 0; i < curve.size(); i++) {
      if (curve.get(i) != null && !curve.get(i).isNaN()) {
        x.add(i + 1.0);
        y.add(curve.get(i));
      }
    }
    if (x.isEmpty()) {
      return null;
    }
    XYSeries series = chart.addSeries(name, x, y);
    series.setMarker(SeriesMarkers.NONE);
    return series;
  }

  /** Test PR where the grid was scored on test, else validation AP ("ap"). */
  private static String metric(List<Map<String, Object>> points) {
    return points.stream().allMatch(p -> p.containsKey("pr")) ? "pr" : "ap";
  }

  private static String metricTitle(String metric) {
    return metric.equals("pr") ? "test PR %" : "validation AP % (L(S_t)/L(M))";
  }

  /** Linear and task arithmetic: PR per task over the first model's weight. */
  static XYChart weightLines(List<Map<String, Object>> points, List<String> tasks) {
    String metric = metric(points);
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
        .title("RQ2: " + metricTitle(metric) + " per task over the weight")
        .xAxisTitle("weight of model 1 (model 2 gets 1 - w)").yAxisTitle(metric.equals("pr") ? "PR %" : "AP %").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal);
    for (String technique : FixedPlans.WEIGHT_ONLY) {
      for (String task : tasks) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Map<String, Object> p : points) {
          if (p.get("technique").equals(technique)) {
            x.add(Reports.number(p.get("weight")));
            y.add(Reports.<Map<String, Double>>get(p, metric).get(task));
          }
        }
        if (!x.isEmpty()) {
          chart.addSeries(technique + " / " + task, x, y);
        }
      }
    }
    return chart;
  }

  /** One technique, one task: PR (or AP) over weight × density; null when the grid has no points for it. */
  static HeatMapChart heatmap(List<Map<String, Object>> points, String technique, String task) {
    String metric = metric(points);
    Map<String, Double> byCell = new LinkedHashMap<>();
    TreeSet<Double> weights = new TreeSet<>();
    TreeSet<Double> densities = new TreeSet<>();
    for (Map<String, Object> p : points) {
      if (p.get("technique").equals(technique)) {
        double w = Reports.number(p.get("weight"));
        double d = Reports.number(p.get("density"));
        weights.add(w);
        densities.add(d);
        byCell.put(key(w, d), Reports.<Map<String, Double>>get(p, metric).get(task));
      }
    }
    if (byCell.isEmpty()) {
      return null;
    }
    List<Double> xs = new ArrayList<>(weights);
    List<Double> ys = new ArrayList<>(densities);
    List<Number[]> heat = new ArrayList<>();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < xs.size(); i++) {
      for (int j = 0; j < ys.size(); j++) {
        Double v = byCell.get(key(xs.get(i), ys.get(j)));
        if (v != null && !v.isNaN()) {
          heat.add(new Number[] {i, j, Math.round(v * 10) / 10.0}); // cells print the raw double otherwise
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT)
        .title("RQ2 " + technique + ": " + metricTitle(metric) + " on " + task)
        .xAxisTitle("weight of model 1").yAxisTitle("density").build();
    chart.getStyler().setShowValue(true);
    chart.getStyler().setMin(min).setMax(max == min ? min + 1 : max);
    chart.getStyler().setRangeColors(new Color[] {new Color(0xd73027), new Color(0xfee08b), new Color(0x1a9850)});
    chart.addSeries(metric.equals("pr") ? "PR %" : "AP %", xs.stream().map(ExperimentCharts::label).toList(), ys.stream().map(ExperimentCharts::label).toList(), heat);
    return chart;
  }

  private static String key(double w, double d) {
    return label(w) + "/" + label(d);
  }

  private static String label(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String save(Chart<?, ?> chart, Path dir, String name) {
    try {
      BitmapEncoder.saveBitmap(chart, dir.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
      return name;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
    }
  }
}
