package org.sparklinear.spark;

import java.io.Serializable;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
 * for a model of 80 MB of weights each result is 160 MB. Where the tasks run in the driver's JVM (a local master) they
 * merge their results into the total themselves, by reference, as {@link InJvmCollect} hands over blocks: no result
 * is serialised, stored, fetched and deserialised, four copies of its size. The merge must therefore not depend on
 * the order of its arguments (as the fixed-point sums' integer addition does not). Deeper trees use
 * {@code treeAggregate}, whose executors merge before the driver does.
 */
public final class BroadcastAggregate {
  /** The totals of the running jobs, by key, for tasks in the driver's JVM to merge into. */
  private static final ConcurrentHashMap<String, Total<?>> TOTALS = new ConcurrentHashMap<>();

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

  /** The merge of every partition's single result, each merged as its task finishes. */
  static <R> R mergeOnArrival(JavaRDD<R> results, R zero, Function2<R, R, R> merge) {
    return mergeOnArrival(results, zero, merge, results.context().isLocal());
  }

  /** @param inJvm whether the tasks may merge into the total themselves (they must run in this JVM) */
  static <R> R mergeOnArrival(JavaRDD<R> results, R zero, Function2<R, R, R> merge, boolean inJvm) {
    Total<R> total = new Total<>(merge);
    String key = inJvm ? UUID.randomUUID().toString() : null;
    if (key != null) {
      TOTALS.put(key, total);
    }
    try {
      // in the driver's JVM: merged by the task, which returns null; otherwise (or when the task's class loader has
      // its own copy of this class, so another TOTALS) the result goes back and the driver merges it
      TaskFunction<R, R> mergeOrReturn = (context, rows) -> {
        R part = rows.next();
        @SuppressWarnings("unchecked")
        Total<R> local = key == null ? null : (Total<R>) TOTALS.get(key);
        if (local == null) {
          return part;
        }
        local.add(context.partitionId(), part);
        return null;
      };
      @SuppressWarnings("unchecked")
      ClassTag<R> tag = (ClassTag<R>) ClassTag$.MODULE$.apply(Object.class);
      results.context().runJob(results.rdd(), mergeOrReturn, (Object partition, R part) -> {
        if (part != null) {
          total.add((Integer) partition, part);
        }
        return BoxedUnit.UNIT;
      }, tag);
      R value = total.value();
      return value == null ? zero : value;
    } finally {
      if (key != null) {
        TOTALS.remove(key);
      }
    }
  }

  /** The results merged so far; each partition's once, should a task be retried after merging its result. */
  private static final class Total<R> {
    private final Function2<R, R, R> merge;
    private final BitSet merged = new BitSet();
    private R value;

    Total(Function2<R, R, R> merge) {
      this.merge = merge;
    }

    synchronized R value() {
      return value;
    }

    /** The first result becomes the total itself: no copy of it. */
    synchronized void add(int partition, R part) {
      if (merged.get(partition)) {
        return;
      }
      try {
        value = value == null ? part : merge.call(value, part);
      } catch (Exception e) {
        throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
      }
      merged.set(partition);
    }
  }
}
