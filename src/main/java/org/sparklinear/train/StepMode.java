package org.sparklinear.train;

import java.util.Locale;

/**
 * Where the steps run. Both compute every partition's share from its own block and merge the sums in fixed point, so
 * they train the same model to the last bit; they differ only in cost.
 */
public enum StepMode {
  /** One Spark job per step: broadcast, per-partition gradient on the executors, treeAggregate. */
  JOBS,
  /** The cached blocks brought to the driver once; every step runs there, one thread per partition. */
  DRIVER,
  /** {@link #DRIVER} when the blocks fit the driver's budget and the master is local or the data small. */
  AUTO;

  public static StepMode fromName(String name) {
    for (StepMode m : values()) {
      if (m.name().toLowerCase(Locale.ROOT).equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException("--step-mode must be jobs, driver or auto, got '" + name + "'");
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
