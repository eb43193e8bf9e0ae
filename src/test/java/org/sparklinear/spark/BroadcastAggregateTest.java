package org.sparklinear.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparklinear.TestSupport;
import org.sparklinear.train.ReproducibleSum;

/** Merging each partition's sums as it arrives gives the bits of the merge in partition order, both ways. */
class BroadcastAggregateTest {
  private static final int PARTITIONS = 7;
  private static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    sc = TestSupport.localSpark(2);
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  /** A partition's sums: magnitudes over 9 decades, whose double sum would depend on the order. */
  private static ReproducibleSum part(int p) {
    SplittableRandom r = new SplittableRandom(100 + p);
    double[] g = new double[300];
    for (int i = 0; i < g.length; i++) {
      g[i] = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(9) - 4);
    }
    return ReproducibleSum.of(g, p + 0.5, p + 1);
  }

  @Test
  void mergingOnArrivalGivesTheBitsOfTheMergeInPartitionOrder() {
    ReproducibleSum inOrder = ReproducibleSum.empty();
    for (int p = 0; p < PARTITIONS; p++) {
      inOrder.merge(part(p));
    }
    List<Integer> ids = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      ids.add(p);
    }
    JavaRDD<ReproducibleSum> parts = sc.parallelize(ids, PARTITIONS).map(BroadcastAggregateTest::part);
    // merged by the tasks in this JVM, and (as on a cluster) sent back serialised and merged by the driver
    for (boolean inJvm : new boolean[] {true, false}) {
      ReproducibleSum total = BroadcastAggregate.mergeOnArrival(parts, ReproducibleSum.empty(),
          ReproducibleSum::merge, inJvm);
      assertEquals(28, total.count(), "inJvm " + inJvm);
      assertEquals(inOrder.loss(), total.loss(), 0.0);
      assertArrayEquals(inOrder.gradient(300), total.gradient(300), 0.0);
    }
    // through run(): the value broadcast to every partition
    ReproducibleSum viaRun = BroadcastAggregate.run(sc, sc.parallelize(ids, PARTITIONS), 2,
        (twice, it) -> part(it.next() * twice), ReproducibleSum.empty(), ReproducibleSum::merge, 1);
    ReproducibleSum even = ReproducibleSum.empty();
    for (int p = 0; p < PARTITIONS; p++) {
      even.merge(part(2 * p));
    }
    assertArrayEquals(even.gradient(300), viaRun.gradient(300), 0.0);
    ReproducibleSum none = BroadcastAggregate.mergeOnArrival(sc.<ReproducibleSum>emptyRDD(),
        ReproducibleSum.empty(), ReproducibleSum::merge);
    assertEquals(0, none.count());
  }
}
