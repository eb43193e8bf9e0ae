package org.sparklinear.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.BlockResult;
import org.apache.spark.storage.RDDBlockId;
import scala.Option;

/**
 * A cached partition read straight from this JVM's block manager (memory or local disk), without a Spark job: for a
 * local master, where the driver's JVM is the only executor and holds every stored block.
 */
public final class LocalBlocks {
  private LocalBlocks() {}

  /** The partition's stored values, or null when this JVM does not hold its block (never stored, or evicted). */
  public static <T> List<T> read(JavaRDD<T> rdd, int partition) {
    Option<BlockResult> stored = SparkEnv.get().blockManager().getLocalValues(new RDDBlockId(rdd.id(), partition));
    if (stored.isEmpty()) {
      return null;
    }
    // reading to the end releases the block's read lock
    scala.collection.Iterator<Object> values = stored.get().data();
    List<T> out = new ArrayList<>(1);
    while (values.hasNext()) {
      @SuppressWarnings("unchecked")
      T value = (T) values.next();
      out.add(value);
    }
    return out;
  }
}
