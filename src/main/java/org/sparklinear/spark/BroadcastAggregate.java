package org.sparklinear.spark;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One Spark job of the shape every pass over cached blocks has: broadcast a value (the weights), let each partition
 * reduce its rows against it to one result, {@code treeAggregate} the results to the driver, destroy the broadcast.
 */
public final class BroadcastAggregate {
  private BroadcastAggregate() {}

  /** What one partition makes of its rows and the broadcast value. */
  public interface PartitionFunction<V, T, R> extends Serializable {
    R apply(V value, Iterator<T> rows) throws Exception;
  }

  /**
   * @param merge combines two results; it may modify and return its first argument
   * @param depth of {@code treeAggregate}
   */
  public static <V, T, R> R run(JavaSparkContext sc, JavaRDD<T> rdd, V value, PartitionFunction<V, T, R> perPartition,
      R zero, Function2<R, R, R> merge, int depth) {
    Broadcast<V> bc = sc.broadcast(value);
    try {
      return rdd.mapPartitions(rows -> List.of(perPartition.apply(bc.value(), rows)).iterator())
          .treeAggregate(zero, merge, merge, depth);
    } finally {
      bc.destroy();
    }
  }
}
