package org.sparklinear.spark;

import java.io.Serializable;
import java.util.BitSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.PartitionPruningRDD;
import scala.runtime.AbstractFunction1;

/**
 * Some partitions of an RDD as an RDD of their own, without a shuffle: a job over it runs a task for each chosen
 * partition only, and each task reads its parent partition's stored block (memory or disk) like any other.
 */
public final class PartitionSubset {
  private PartitionSubset() {}

  public static <T> JavaRDD<T> of(JavaRDD<T> rdd, int[] partitions) {
    BitSet wanted = new BitSet();
    for (int p : partitions) {
      wanted.set(p);
    }
    return JavaRDD.fromRDD(PartitionPruningRDD.create(rdd.rdd(), new Chosen(wanted)), rdd.classTag());
  }

  private static final class Chosen extends AbstractFunction1<Object, Object> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final BitSet wanted;

    Chosen(BitSet wanted) {
      this.wanted = wanted;
    }

    @Override
    public Object apply(Object partition) {
      return wanted.get((Integer) partition);
    }
  }
}
