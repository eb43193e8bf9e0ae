package org.sparklinear.train;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * Which records are held out for validation: a hash of the record's source name and the seed, so the split does
 * not depend on partitioning or order, and {@code evaluate --split validation} finds the same records later.
 */
public record ValidationSplit(long seed, double fraction) implements Serializable {

  public boolean isValidation(String source) {
    if (fraction <= 0) {
      return false;
    }
    long h = seed ^ 0x9E3779B97F4A7C15L;
    for (byte b : source.getBytes(StandardCharsets.UTF_8)) {
      h = mix(h ^ (b & 0xff));
    }
    // top 53 bits as a uniform double in [0, 1)
    return (mix(h) >>> 11) * 0x1.0p-53 < fraction;
  }

  /** SplitMix64's finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
