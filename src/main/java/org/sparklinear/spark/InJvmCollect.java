package org.sparklinear.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;

/**
 * {@code collect()} without serialisation where the executors are this JVM (a local master): each task hands its
 * partition's objects, the cached ones themselves, to the driver by reference. Collecting CIFAR-10's 600 MB of packed
 * blocks the usual way serialises, stores and deserialises them: about 4 s on 2 cores, against nothing here.
 */
public final class InJvmCollect {
  private static final ConcurrentHashMap<String, List<?>[]> HANDOFFS = new ConcurrentHashMap<>();

  private InJvmCollect() {}

  /** The RDD's elements in partition order; a plain {@code collect()} unless the master is local. */
  @SuppressWarnings("unchecked")
  public static <T> List<T> collect(JavaRDD<T> rdd) {
    if (!rdd.context().isLocal()) {
      return rdd.collect();
    }
    String key = UUID.randomUUID().toString();
    List<?>[] parts = new List<?>[rdd.getNumPartitions()];
    HANDOFFS.put(key, parts);
    try {
      rdd.foreachPartition(rows -> {
        List<?>[] slots = HANDOFFS.get(key);
        if (slots != null) { // null when the task's class loader has its own copy of this class: see below
          List<T> mine = new ArrayList<>();
          rows.forEachRemaining(mine::add);
          slots[TaskContext.getPartitionId()] = mine;
        }
      });
      List<T> all = new ArrayList<>();
      for (List<?> part : parts) {
        if (part == null) {
          return rdd.collect(); // the tasks could not reach this JVM's handoff: collect the usual way
        }
        all.addAll((List<T>) part);
      }
      return all;
    } finally {
      HANDOFFS.remove(key);
    }
  }
}
