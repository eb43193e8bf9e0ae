package org.sparklinear.ml;

import org.apache.spark.ml.param.Param;

/**
 * String params that say they hold strings. Spark Connect converts a Python client's value by the param's data
 * class, which {@code new Param<>(this, name, doc)} leaves unknown (Spark's Scala params get it from a ClassTag).
 */
final class StringParams {
  private StringParams() {}

  static Param<String> of(String parentUid, String name, String doc, scala.Function1<String, Object> isValid) {
    return new Param<>(parentUid, name, doc, isValid, String.class);
  }

  static Param<String> of(String parentUid, String name, String doc) {
    return new Param<>(parentUid, name, doc, String.class);
  }
}
