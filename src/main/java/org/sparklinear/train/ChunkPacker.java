package org.sparklinear.train;

import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparklinear.data.LabeledImage;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.preprocess.Preprocessor;
import scala.Tuple2;

/**
 * Packs images into {@code chunks} small blocks for the disk cache, one per partition: every row goes to a chunk
 * drawn from a hash of its source and the seed, through one shuffle (which spills, so no task holds more than a
 * chunk). The hash mixes the rows, so that a chunk is a fair sample even where the input is sorted by class (a folder
 * of class folders), and orders them within the chunk, so that a chunk's rows and their order, and therefore the
 * sums a step computes, are the same on every run whatever order the shuffle delivers them in.
 */
final class ChunkPacker {
  private ChunkPacker() {}

  static JavaRDD<FeatureBlock> pack(JavaRDD<LabeledImage> images, Preprocessor preprocessor, int chunks, long seed) {
    int features = preprocessor.features();
    Broadcast<Preprocessor> shared = JavaSparkContext.fromSparkContext(images.context()).broadcast(preprocessor);
    return images.mapToPair(img -> new Tuple2<>(key(img.source(), seed), img))
        .repartitionAndSortWithinPartitions(new ByKey(chunks))
        .values()
        .mapPartitionsWithIndex((chunk, rows) -> List.of(BlockPacker.packPartition(chunk, rows, shared.value(),
            features)).iterator(), true);
  }

  /** A 64-bit hash of the source and the seed, independent of the validation split's. */
  static long key(String source, long seed) {
    long h = seed ^ 0xD6E8FEB86659FD93L;
    for (int i = 0; i < source.length(); i++) {
      h = ValidationSplit.mix(h ^ source.charAt(i));
    }
    return ValidationSplit.mix(h);
  }

  /** The chunk of a key: its top bits scaled to the chunk count. */
  static int chunkOf(long key, int chunks) {
    return (int) (((key >>> 33) * chunks) >>> 31);
  }

  private static final class ByKey extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int chunks;

    ByKey(int chunks) {
      this.chunks = chunks;
    }

    @Override
    public int numPartitions() {
      return chunks;
    }

    @Override
    public int getPartition(Object key) {
      return chunkOf((Long) key, chunks);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ByKey other && other.chunks == chunks;
    }

    @Override
    public int hashCode() {
      return chunks;
    }
  }
}
