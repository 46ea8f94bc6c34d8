package io.automerge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;

/** Loss, top-1 and (with at least five outputs) top-5 over images. */
final class ClassificationMetrics implements MetricAccumulator {
  private double lossSum;
  private long images;
  private long top1;
  private long top5;
  private long outputs;

  @Override
  public void add(NDArray outputs, NDArray labels) {
    NDArray perImage = Task.crossEntropyPerUnit(outputs, labels);
    lossSum += perImage.sum().toType(DataType.FLOAT64, false).getDouble();
    // Rank of the true class = how many classes scored strictly higher.
    NDArray trueScore = outputs.gather(labels.expandDims(-1), -1);
    NDArray rank = outputs.gt(trueScore).toType(DataType.INT64, false).sum(new int[] {-1});
    // A NaN compares false with everything, so NaN outputs would rank first: push such an image past any top-k.
    NDArray nan = outputs.isNaN().toType(DataType.INT64, false).sum(new int[] {-1});
    rank = rank.add(nan.mul(outputs.getShape().get(outputs.getShape().dimension() - 1) + 5));
    top1 += count(rank.eq(0));
    top5 += count(rank.lt(5));
    images += labels.size();
    this.outputs = outputs.getShape().get(outputs.getShape().dimension() - 1);
  }

  private static long count(NDArray mask) {
    return mask.toType(DataType.INT64, false).sum().getLong();
  }

  @Override
  public double meanLoss() {
    return images == 0 ? Double.NaN : lossSum / images;
  }

  @Override
  public long units() {
    return images;
  }

  @Override
  public Map<String, Double> metrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("top1", images == 0 ? Double.NaN : (double) top1 / images);
    if (images == 0 || outputs >= 5) {
      m.put("top5", images == 0 ? Double.NaN : (double) top5 / images);
    }
    return m;
  }
}
