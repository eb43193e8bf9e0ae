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
 * reduce its rows against it to one result, bring the results to the driver, destroy the broadcast.
 *
 * <p>At depth 1 the results are collected and merged on the driver in partition order: the same job shape as the
 * floor the benchmark measures, without treeAggregate's closure cleaning, cloned zero value and extra merge per
 * task (within the noise of a step here). Deeper trees use {@code treeAggregate}, whose executors merge before the
 * driver does.
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
      JavaRDD<R> results = rdd.mapPartitions(rows -> List.of(perPartition.apply(bc.value(), rows)).iterator());
      if (depth > 1) {
        return results.treeAggregate(zero, merge, merge, depth);
      }
      R total = zero;
      for (R part : results.collect()) {
        total = merge.call(total, part);
      }
      return total;
    } catch (Exception e) {
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    } finally {
      bc.destroy();
    }
  }
}
