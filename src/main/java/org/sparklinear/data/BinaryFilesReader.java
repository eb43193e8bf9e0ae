package org.sparklinear.data;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * Reads {@code root/<class>/<image files>} through Spark's {@code binaryFile} source: Spark lists the tree (on
 * {@code s3a://} with one flat, paged listing of the whole prefix) and its tasks fetch the files' bytes; the bytes are
 * decoded here as the image-folder reader decodes them. The rows are then brought to the image-folder reader's
 * partitions, in its order, so both readers give the same dataset and a training run the same model.
 */
final class BinaryFilesReader {
  private final JavaSparkContext sc;

  BinaryFilesReader(JavaSparkContext sc) {
    this.sc = sc;
  }

  ImageDataset read(String path, ReadOptions options, Configuration conf) throws IOException {
    FileSystem fs = ClassFolders.requireDirectory(path, conf);
    SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    // recursive lookup: class folders are not key=value partitions, and a folder named "a=b" must not become one
    Dataset<Row> binaryFiles = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(path);
    Path root = fs.makeQualified(new Path(path));
    ClassFolders.Plan plan = ClassFolders.plan(path, classFolders(root, binaryFiles.inputFiles()), options);
    List<ImageFile> files = plan.files();
    ImageShape shape = ClassFolders.shape(plan, fs, options);
    int p = Math.max(1, Math.min(options.partitions(), files.size()));

    Map<String, Integer> positions = new HashMap<>();
    for (int i = 0; i < files.size(); i++) {
      positions.put(files.get(i).path(), i);
    }
    Broadcast<Map<String, Integer>> position = sc.broadcast(positions);
    Broadcast<List<ImageFile>> planned = sc.broadcast(files);
    LongAccumulator skipped = sc.sc().longAccumulator("skippedBadImages");
    ImageFileDecoding decoding = new ImageFileDecoding(shape, options, skipped);
    JavaPairRDD<Integer, LabeledImage> decoded = binaryFiles.select("path", "content").javaRDD().flatMapToPair(row -> {
      Integer at = position.value().get(row.getString(0)); // null: not an image file of a class folder
      if (at == null) {
        return java.util.Collections.emptyIterator();
      }
      var image = decoding.decode(planned.value().get(at), () -> row.getAs(1));
      return image.hasNext() ? List.of(new Tuple2<>(at, image.next())).iterator()
          : java.util.Collections.<Tuple2<Integer, LabeledImage>>emptyIterator();
    });
    JavaRDD<LabeledImage> images = decoded.repartitionAndSortWithinPartitions(new Slices(files.size(), p)).values();
    String description = "image folders through Spark's binaryFile source, " + plan.classNames().size()
        + " classes, " + files.size() + " files";
    return new ImageDataset(images, plan.classNames(), shape, files.size(), skipped, description);
  }

  /**
   * The class folders in Spark's listing of the root's files: a file's folder one level under the root is its class;
   * files in the root itself are not images of a class, deeper ones are entries of their class folder that are
   * ignored, as the image-folder reader ignores sub-folders.
   */
  static List<ClassFolders.Listed> classFolders(Path root, String[] listed) {
    Map<String, TreeMap<String, String>> files = new LinkedHashMap<>();
    Map<String, Integer> others = new HashMap<>();
    for (String uri : listed) {
      Path file = asPath(uri); // the form Spark's path column and Hadoop listings print
      for (Path dir = file.getParent(); dir != null && dir.getParent() != null; dir = dir.getParent()) {
        if (dir.getParent().equals(root)) {
          String className = dir.getName();
          files.computeIfAbsent(className, c -> new TreeMap<>());
          if (dir.equals(file.getParent())) {
            files.get(className).put(file.getName(), file.toString());
          } else {
            others.merge(className, 1, Integer::sum);
          }
          break;
        }
      }
    }
    List<ClassFolders.Listed> folders = new ArrayList<>();
    files.forEach((name, inFolder) -> folders.add(new ClassFolders.Listed(name, new Path(root, name).toString(),
        inFolder, others.getOrDefault(name, 0))));
    return folders;
  }

  private static Path asPath(String uri) {
    try {
      return new Path(new URI(uri));
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Spark listed a file whose name is not a URI: " + uri, e);
    }
  }

  /** Partition k of p holds the k-th contiguous slice of n items, as {@code parallelize(list, p)} cuts a list. */
  static final class Slices extends Partitioner {
    private final int items;
    private final int slices;

    Slices(int items, int slices) {
      this.items = items;
      this.slices = slices;
    }

    @Override
    public int numPartitions() {
      return slices;
    }

    @Override
    public int getPartition(Object key) {
      int index = (Integer) key;
      int k = (int) ((long) index * slices / items);
      while (k + 1 < slices && start(k + 1) <= index) {
        k++;
      }
      while (start(k) > index) {
        k--;
      }
      return k;
    }

    /** The first index of slice k: Spark's {@code ParallelCollectionRDD.slice} positions. */
    private long start(int k) {
      return (long) k * items / slices;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Slices s && s.items == items && s.slices == slices;
    }

    @Override
    public int hashCode() {
      return 31 * items + slices;
    }
  }
}
