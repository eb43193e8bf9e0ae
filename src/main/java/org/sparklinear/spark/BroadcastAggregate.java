package org.sparklinear.spark;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.BoxedUnit;

/**
 * One Spark job of the shape every pass over cached blocks has: broadcast a value (the weights), let each partition
 * reduce its rows against it to one result, bring the results to the driver, destroy the broadcast.
 *
 * <p>At depth 1 each partition's result is merged into the total as it arrives ({@code SparkContext.runJob} with a
 * result handler), so the driver holds the total and the result being merged, not every partition's result at once:
 * for a model of 80 MB of weights each result is 160 MB. The merge must therefore not depend on the order of its
 * arguments (as the fixed-point sums' integer addition does not). Deeper trees use {@code treeAggregate}, whose
 * executors merge before the driver does.
 */
public final class BroadcastAggregate {
  private BroadcastAggregate() {}

  /** What one partition makes of its rows and the broadcast value. */
  public interface PartitionFunction<V, T, R> extends Serializable {
    R apply(V value, Iterator<T> rows) throws Exception;
  }

  /** A Scala function Spark can ship to the executors. */
  private interface TaskFunction<T, R> extends scala.Function2<TaskContext, scala.collection.Iterator<T>, R>,
      Serializable {}

  /**
   * @param value broadcast as it is: it must not change until this returns (in local mode the tasks read the
   *     driver's object itself)
   * @param zero the merge's identity, returned when the RDD has no partitions
   * @param merge combines two results, in any order; it may modify and return its first argument and may take over
   *     its second's storage
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
      return mergeOnArrival(results, zero, merge);
    } catch (Exception e) {
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    } finally {
      bc.destroy();
    }
  }

  /** The merge of every partition's single result, each merged on the driver as its task finishes. */
  static <R> R mergeOnArrival(JavaRDD<R> results, R zero, Function2<R, R, R> merge) {
    AtomicReference<R> total = new AtomicReference<>();
    TaskFunction<R, R> onlyElement = (context, rows) -> rows.next();
    @SuppressWarnings("unchecked")
    ClassTag<R> tag = (ClassTag<R>) ClassTag$.MODULE$.apply(Object.class);
    // called by the scheduler's thread, one result at a time; the first one becomes the total (no copy of it)
    results.context().runJob(results.rdd(), onlyElement, (Object partition, R part) -> {
      try {
        total.set(total.get() == null ? part : merge.call(total.get(), part));
      } catch (Exception e) {
        throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
      }
      return BoxedUnit.UNIT;
    }, tag);
    return total.get() == null ? zero : total.get();
  }
}
