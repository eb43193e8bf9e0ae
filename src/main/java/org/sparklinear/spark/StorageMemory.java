package org.sparklinear.spark;

import java.io.File;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockStatus;
import org.apache.spark.storage.RDDBlockId;
import org.apache.spark.storage.StorageStatus;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The room Spark has for cached blocks, asked of the block manager master (which executors update before their
 * tasks end; the status store behind the UI is fed asynchronously and may lag).
 */
public final class StorageMemory {
  private StorageMemory() {}

  /**
   * Free storage memory over the block managers that hold RDD blocks: the executors, and the driver only with a
   * local master (where it is the executor).
   *
   * @param releasedRddId an RDD about to be dropped (-1 for none): its blocks in memory count as free, since caching
   *     evicts them (they are MEMORY_AND_DISK) and they are dropped after packing
   */
  public static long free(JavaSparkContext sc, int releasedRddId) {
    boolean local = sc.sc().isLocal();
    long free = 0;
    for (StorageStatus status : SparkEnv.get().blockManager().master().getStorageStatus()) {
      if (status.blockManagerId().isDriver() && !local) {
        continue;
      }
      free += status.memRemaining();
      for (Map.Entry<BlockId, BlockStatus> block : CollectionConverters.asJava(status.rddBlocks()).entrySet()) {
        if (block.getKey() instanceof RDDBlockId id && id.rddId() == releasedRddId) {
          free += block.getValue().memSize();
        }
      }
    }
    return free;
  }

  /** Bytes usable on this JVM's first Spark local directory: the disk a local master's blocks go to. */
  public static OptionalLong localDiskFree(JavaSparkContext sc) {
    if (!sc.sc().isLocal()) {
      return OptionalLong.empty(); // the executors' disks are not visible from the driver
    }
    File[] dirs = SparkEnv.get().blockManager().diskBlockManager().localDirs();
    return dirs.length == 0 ? OptionalLong.empty() : OptionalLong.of(dirs[0].getUsableSpace());
  }

  /** This JVM's first Spark local directory, where a local master keeps its disk blocks and shuffle files. */
  public static File localDir() {
    return SparkEnv.get().blockManager().diskBlockManager().localDirs()[0];
  }
}
