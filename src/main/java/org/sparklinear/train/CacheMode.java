package org.sparklinear.train;

import java.util.Locale;

/**
 * Where the packed training blocks are kept between steps. Memory is the fast path; disk lets data larger than the
 * cache train with bounded memory, each step reading only the chunks it uses.
 */
public enum CacheMode {
  /** One block per partition in the executors' storage memory; exit 4 when it does not fit. */
  MEMORY,
  /** Chunks of about a step's share of a partition, on the executors' local disks, read back per step. */
  DISK,
  /** {@link #MEMORY} when the packed blocks fit the free storage memory with a margin, {@link #DISK} otherwise. */
  AUTO;

  public static CacheMode fromName(String name) {
    for (CacheMode m : values()) {
      if (m.cliName().equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException("--cache must be memory, disk or auto, got '" + name + "'");
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
