package io.automerge.search;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.automerge.InvalidInputException;

/**
 * A spec's {@code fidelity:}: Hyperband over the number of validation samples per task. Rung i of
 * R samples (the search's {@code validation.samples_per_task}) scores the first R / eta^(s_max − i)
 * of them, from {@code min_samples} up to R, so a higher rung's samples include the lower's.
 * With it, {@code trials} counts full-fidelity-equivalent evaluations: the search stops before its
 * evaluations pass {@code trials × R} samples per task.
 *
 * @param brackets how many of Hyperband's brackets to cycle through, from the most exploratory
 *     (start at {@code min_samples}, keep 1/eta per rung); null: all s_max + 1 of them
 */
public record Fidelity(@JsonProperty("min_samples") Integer minSamples, Integer eta, Integer brackets) {

  public static final int DEFAULT_ETA = 3;

  public Fidelity {
    eta = eta == null ? DEFAULT_ETA : eta;
  }

  /** s_max: the number of halvings between min_samples and R. */
  public int maxStage(int maxSamples) {
    int s = 0;
    long n = minSamples;
    while (n * eta <= maxSamples) {
      n *= eta;
      s++;
    }
    return s;
  }

  /** Samples per task of each rung, lowest first; the last is R. */
  public int[] rungs(int maxSamples) {
    int stages = maxStage(maxSamples);
    int[] rungs = new int[stages + 1];
    for (int i = 0; i <= stages; i++) {
      rungs[i] = (int) Math.round(maxSamples / Math.pow(eta, stages - i));
    }
    return rungs;
  }

  public int bracketCount(int maxSamples) {
    return brackets == null ? maxStage(maxSamples) + 1 : brackets;
  }

  /** Every rule, one line naming what is wrong. */
  public Fidelity check(int maxSamples, String where) {
    if (minSamples == null || minSamples < 1) {
      throw new InvalidInputException(where + "fidelity.min_samples: required, a positive number of validation samples per task (got "
          + minSamples + ")");
    }
    if (eta < 2) {
      throw new InvalidInputException(where + "fidelity.eta: expected an integer >= 2, the factor between rungs (got " + eta + ")");
    }
    if ((long) minSamples * eta > maxSamples) {
      throw new InvalidInputException(where + "fidelity.min_samples: " + minSamples + " × eta " + eta
          + " exceeds validation.samples_per_task " + maxSamples + " (no rung below the full sample)");
    }
    int most = maxStage(maxSamples) + 1;
    if (brackets != null && (brackets < 1 || brackets > most)) {
      throw new InvalidInputException(where + "fidelity.brackets: expected 1 to " + most + " for these samples (got " + brackets + ")");
    }
    return this;
  }
}
