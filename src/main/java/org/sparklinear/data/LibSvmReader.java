package org.sparklinear.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.BadInputException;
import scala.Tuple2;

/**
 * Reads LibSVM text files as dense feature vectors. A first pass checks every line and finds the classes and the
 * widest feature index, so malformed input fails before training; each example is named {@code file:line}.
 */
final class LibSvmReader {
  private static final Logger LOG = LoggerFactory.getLogger(LibSvmReader.class);
  /** More distinct labels than this is regression data, not classes. */
  private static final int MAX_CLASSES = 10_000;

  private final JavaSparkContext sc;

  LibSvmReader(JavaSparkContext sc) {
    this.sc = sc;
  }

  /** What the first pass learns of one file. */
  private record FileSummary(long lines, long rows, int maxIndex, String maxIndexAt,
      TreeMap<Long, String> firstLineOfLabel) implements Serializable {}

  ImageDataset read(String path, ReadOptions options, Configuration conf) throws IOException {
    List<String> files = listFiles(path, conf);
    HadoopConf hadoopConf = new HadoopConf(sc, conf);
    boolean skipBad = options.skipBadImages();
    List<FileSummary> summaries = sc.parallelize(files, files.size()).map(f -> summarize(f, hadoopConf, skipBad))
        .collect();
    long rows = 0;
    int maxIndex = 0;
    String maxIndexAt = null;
    TreeMap<Long, String> labels = new TreeMap<>();
    long[] firstLine = new long[files.size()]; // each file's first line in the concatenation of all files
    long totalLines = 0;
    for (int i = 0; i < summaries.size(); i++) {
      FileSummary s = summaries.get(i);
      firstLine[i] = totalLines;
      totalLines += s.lines();
      rows += s.rows();
      if (s.maxIndex() > maxIndex) {
        maxIndex = s.maxIndex();
        maxIndexAt = s.maxIndexAt();
      }
      s.firstLineOfLabel().forEach(labels::putIfAbsent);
    }
    if (rows == 0) {
      throw new BadInputException(path + ": no examples in " + files.size() + " LibSVM file(s)");
    }
    int features = featureCount(options, maxIndex, maxIndexAt, path);
    List<String> classNames = classNames(options, labels, path);
    Map<String, Integer> classIndex = new HashMap<>();
    for (int i = 0; i < classNames.size(); i++) {
      classIndex.put(classNames.get(i), i);
    }

    LongAccumulator skipped = sc.sc().longAccumulator("skippedBadImages");
    List<String> exampleNames = InputFiles.exampleNames(files);
    JavaRDD<Tuple2<Long, LabeledImage>> keyed = sc.parallelize(files, files.size()).mapPartitionsWithIndex(
        (fileIndex, names) -> new ExampleIterator(names.next(), exampleNames.get(fileIndex), firstLine[fileIndex],
            hadoopConf, features, classIndex, skipBad, skipped), true);
    JavaRDD<LabeledImage> examples = spread(keyed, files.size(), options.partitions(), totalLines);
    String description = String.format("LibSVM, %d file(s), %d examples of %d features", files.size(), rows, features);
    return new ImageDataset(examples, classNames, new ImageShape(1, 1, features), rows, skipped, description);
  }

  /**
   * Spreads the examples over the requested partitions as contiguous runs of lines, in line order, so every run of
   * the job sees the same partitions (training stays reproducible) and predictions come out in input order.
   */
  private static JavaRDD<LabeledImage> spread(JavaRDD<Tuple2<Long, LabeledImage>> keyed, int files, int partitions,
      long totalLines) {
    if (partitions == files) {
      return keyed.map(Tuple2::_2);
    }
    if (partitions < files) {
      return keyed.map(Tuple2::_2).coalesce(partitions, false);
    }
    return keyed.mapToPair(t -> t).repartitionAndSortWithinPartitions(new LineRanges(partitions, totalLines))
        .values();
  }

  /** Line {@code n} (counted over all files) of {@code total} goes to partition {@code n * p / total}. */
  private static final class LineRanges extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;
    private final long total;

    LineRanges(int partitions, long total) {
      this.partitions = partitions;
      this.total = Math.max(1, total);
    }

    @Override
    public int numPartitions() {
      return partitions;
    }

    @Override
    public int getPartition(Object key) {
      long line = (Long) key;
      return (int) Math.min(partitions - 1, (long) ((double) line * partitions / total));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof LineRanges r && r.partitions == partitions && r.total == total;
    }

    @Override
    public int hashCode() {
      return partitions;
    }
  }

  /** The model's width when one is given (evaluate, predict, warm start), else the widest index in the data. */
  private static int featureCount(ReadOptions options, int maxIndex, String maxIndexAt, String path) {
    if (options.imageSize() != null) {
      ImageShape fixed = ImageShape.parseSize(options.imageSize(), options.channels());
      if (maxIndex > fixed.features()) {
        throw new BadInputException(maxIndexAt + ": feature index " + maxIndex + " is beyond the "
            + fixed.features() + " features the model was trained on");
      }
      return fixed.features();
    }
    if (maxIndex == 0) {
      throw new BadInputException(path + ": no example has any feature");
    }
    return maxIndex;
  }

  private static List<String> classNames(ReadOptions options, TreeMap<Long, String> labels, String path) {
    if (options.classNames() != null) {
      for (Map.Entry<Long, String> e : labels.entrySet()) {
        if (!options.classNames().contains(Long.toString(e.getKey()))) {
          throw new BadInputException(e.getValue() + ": label " + e.getKey() + " is not one of the model's classes "
              + options.classNames());
        }
      }
      return options.classNames();
    }
    if (labels.size() < 2) {
      throw new BadInputException(path + ": only one class (" + labels.keySet() + "); a classifier needs two or more");
    }
    List<String> names = new ArrayList<>();
    labels.keySet().forEach(l -> names.add(Long.toString(l)));
    return names;
  }

  private static FileSummary summarize(String file, HadoopConf conf, boolean skipBad) throws IOException {
    long rows = 0;
    int maxIndex = 0;
    String maxIndexAt = null;
    TreeMap<Long, String> labels = new TreeMap<>();
    long lineNumber = 0;
    try (BufferedReader in = open(file, conf)) {
      for (String text = in.readLine(); text != null; text = in.readLine()) {
        lineNumber++;
        String where = file + ":" + lineNumber;
        LibSvmFormat.Line line;
        try {
          line = LibSvmFormat.parse(text, where);
        } catch (BadInputException e) {
          if (skipBad) {
            continue; // counted, and logged, when the examples are read
          }
          throw e;
        }
        if (line == null) {
          continue;
        }
        rows++;
        if (line.maxIndex() > maxIndex) {
          maxIndex = line.maxIndex();
          maxIndexAt = where;
        }
        labels.putIfAbsent(line.label(), where);
        if (labels.size() > MAX_CLASSES) {
          throw new BadInputException(where + ": more than " + MAX_CLASSES + " distinct labels: regression targets,"
              + " not classes?");
        }
      }
    }
    return new FileSummary(lineNumber, rows, maxIndex, maxIndexAt, labels);
  }

  private static BufferedReader open(String file, HadoopConf conf) throws IOException {
    Path p = new Path(file);
    FileSystem fs = p.getFileSystem(conf.get());
    return new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8), 1 << 16);
  }

  private static List<String> listFiles(String path, Configuration conf) throws IOException {
    List<String> names = new ArrayList<>();
    for (FileStatus f : InputFiles.list(path, conf, InputFiles::visible, "LibSVM files")) {
      names.add(f.getPath().toString());
    }
    return names;
  }

  /** Streams one file's examples, keyed by their line number counted over all files (from 0). */
  private static final class ExampleIterator implements Iterator<Tuple2<Long, LabeledImage>> {
    private final String file;
    /** The start of the examples' names ({@link InputFiles#exampleNames}). */
    private final String fileName;
    private final long keyBase;
    private final BufferedReader in;
    private final int features;
    private final Map<String, Integer> classIndex;
    private final boolean skipBad;
    private final LongAccumulator skipped;
    private long lineNumber;
    private Tuple2<Long, LabeledImage> next;

    ExampleIterator(String file, String name, long firstLine, HadoopConf conf, int features,
        Map<String, Integer> classIndex, boolean skipBad, LongAccumulator skipped) throws IOException {
      this.file = file;
      this.fileName = name;
      this.keyBase = firstLine - 1; // line numbers start at 1
      this.in = open(file, conf);
      this.features = features;
      this.classIndex = classIndex;
      this.skipBad = skipBad;
      this.skipped = skipped;
      advance();
    }

    private void advance() {
      next = null;
      try {
        for (String text = in.readLine(); text != null; text = in.readLine()) {
          lineNumber++;
          String where = file + ":" + lineNumber;
          try {
            LibSvmFormat.Line line = LibSvmFormat.parse(text, where);
            if (line == null) {
              continue;
            }
            Integer label = classIndex.get(Long.toString(line.label()));
            if (label == null) {
              throw new BadInputException(where + ": label " + line.label() + " is not one of the classes "
                  + classIndex.keySet());
            }
            next = new Tuple2<>(keyBase + lineNumber, LabeledImage.ofFeatures(fileName + ":" + lineNumber, label,
                line.dense(features, where)));
            return;
          } catch (BadInputException e) {
            if (!skipBad) {
              throw e;
            }
            skipped.add(1);
            LOG.warn("skipping bad line (--skip-bad-images): {}", e.getMessage());
          }
        }
        in.close();
      } catch (IOException e) {
        throw new UncheckedIOException(file + ": read failed at line " + lineNumber, e);
      }
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public Tuple2<Long, LabeledImage> next() {
      if (next == null) {
        throw new NoSuchElementException();
      }
      Tuple2<Long, LabeledImage> current = next;
      advance();
      return current;
    }
  }
}
