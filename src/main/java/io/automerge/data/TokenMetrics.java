package io.automerge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token-weighted next-token cross-entropy over every scored position (targets of -1 are not
 * scored), with {@code perplexity} = exp(mean loss) and {@code token_accuracy}.
 */
final class TokenMetrics implements MetricAccumulator {
  private double lossSum;
  private long tokens;
  private long correct;

  @Override
  public void add(NDArray outputs, NDArray labels) {
    NDArray scored = labels.gte(0);
    NDArray nll = targetLogProbs(outputs, labels).neg().toType(DataType.FLOAT64, false)
        .mul(scored.toType(DataType.FLOAT64, false));
    lossSum += nll.sum().getDouble();
    tokens += scored.toType(DataType.INT64, false).sum().getLong();
    correct += outputs.argMax(-1).eq(labels).toType(DataType.INT64, false).sum().getLong();
  }

  /** log softmax(outputs)[target] per position; unscored positions read class 0 (masked by callers). */
  static NDArray targetLogProbs(NDArray outputs, NDArray labels) {
    NDArray safe = labels.maximum(0);
    return outputs.logSoftmax(-1).gather(safe.expandDims(-1), -1).squeeze(-1);
  }

  @Override
  public double meanLoss() {
    return tokens == 0 ? Double.NaN : lossSum / tokens;
  }

  @Override
  public long units() {
    return tokens;
  }

  @Override
  public Map<String, Double> metrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("perplexity", Math.exp(meanLoss()));
    m.put("token_accuracy", tokens == 0 ? Double.NaN : (double) correct / tokens);
    return m;
  }
}
