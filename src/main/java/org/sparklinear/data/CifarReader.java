package org.sparklinear.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.BadInputException;

/**
 * Reads CIFAR-10 binary files: the driver checks every file's size and plans contiguous record ranges, one list per
 * partition, so each task streams its own records with a few hundred per read.
 */
final class CifarReader {
  private static final Logger LOG = LoggerFactory.getLogger(CifarReader.class);
  /** Records read per I/O call. */
  private static final int RECORDS_PER_READ = 512;

  private final JavaSparkContext sc;

  CifarReader(JavaSparkContext sc) {
    this.sc = sc;
  }

  /** A run of consecutive records of one file, read by one task. */
  private record RecordRange(String file, String name, long firstRecord, long count) implements Serializable {}

  ImageDataset read(String path, ReadOptions options, Configuration conf) throws IOException {
    List<FileStatus> files = listCifarFiles(path, conf);
    long total = 0;
    for (FileStatus f : files) {
      String problem = CifarBinaryFormat.sizeProblem(f.getLen());
      if (problem != null) {
        throw new BadInputException(f.getPath() + ": " + problem);
      }
      total += f.getLen() / CifarBinaryFormat.RECORD_BYTES;
    }
    List<String> classNames = cifarClassNames(files.get(0).getPath().getParent(), conf, options.classNames());

    List<List<RecordRange>> plan = planRanges(files, total, options.partitions());
    HadoopConf hadoopConf = new HadoopConf(sc, conf);
    int classCount = classNames.size();
    JavaRDD<LabeledImage> images = sc.parallelize(plan, plan.size())
        .flatMap(ranges -> new CifarRangeIterator(ranges, hadoopConf, classCount));
    String description = "CIFAR-10 binary, " + files.size() + " file(s), " + total + " records";
    return new ImageDataset(images, classNames, ImageShape.CIFAR10, total, sc.sc().longAccumulator("skippedBadImages"),
        description);
  }

  private static List<FileStatus> listCifarFiles(String path, Configuration conf) throws IOException {
    return InputFiles.list(path, conf, name -> name.toLowerCase(Locale.ROOT).endsWith(".bin"),
        "CIFAR-10 .bin files");
  }

  private static List<String> cifarClassNames(Path dir, Configuration conf, List<String> known) throws IOException {
    Path meta = new Path(dir, CifarBinaryFormat.META_FILE);
    FileSystem fs = meta.getFileSystem(conf);
    List<String> names = null;
    if (fs.exists(meta)) {
      try (InputStream in = fs.open(meta)) {
        String text = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
        names = Arrays.stream(text.split("\\R")).map(String::trim).filter(s -> !s.isEmpty())
            .collect(Collectors.toList());
      }
      if (names.size() < 2) {
        throw new BadInputException(meta + ": lists " + names.size() + " class name(s); a classifier needs at least 2");
      }
      if (names.stream().distinct().count() != names.size()) {
        throw new BadInputException(meta + ": class names are not unique: " + names);
      }
    }
    if (known != null) {
      if (names != null && !names.equals(known)) {
        throw new BadInputException(meta + ": classes " + names + " differ from the model's " + known);
      }
      return known;
    }
    if (names == null) {
      names = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        names.add(Integer.toString(i));
      }
      LOG.warn("{} not found next to the data: naming the 10 CIFAR-10 classes 0..9", meta);
    }
    return names;
  }

  /** Splits the concatenated records of all files into {@code partitions} contiguous, nearly equal ranges. */
  private static List<List<RecordRange>> planRanges(List<FileStatus> files, long total, int partitions) {
    int p = (int) Math.max(1, Math.min(partitions, total));
    List<List<RecordRange>> plan = new ArrayList<>();
    List<String> names = InputFiles.exampleNames(files.stream().map(f -> f.getPath().toString()).toList());
    int fileIndex = 0;
    long offsetInFile = 0;
    for (int i = 0; i < p; i++) {
      long want = total * (i + 1) / p - total * i / p;
      List<RecordRange> ranges = new ArrayList<>();
      while (want > 0) {
        FileStatus f = files.get(fileIndex);
        long inFile = f.getLen() / CifarBinaryFormat.RECORD_BYTES;
        long take = Math.min(want, inFile - offsetInFile);
        ranges.add(new RecordRange(f.getPath().toString(), names.get(fileIndex), offsetInFile, take));
        want -= take;
        offsetInFile += take;
        if (offsetInFile == inFile) {
          fileIndex++;
          offsetInFile = 0;
        }
      }
      plan.add(ranges);
    }
    return plan;
  }

  /** Streams the records of a task's ranges, a few hundred per read. */
  private static final class CifarRangeIterator implements Iterator<LabeledImage> {
    private final Iterator<RecordRange> ranges;
    private final HadoopConf conf;
    private final int classCount;
    private final byte[] buffer = new byte[RECORDS_PER_READ * CifarBinaryFormat.RECORD_BYTES];
    private RecordRange range;
    private FSDataInputStream in;
    private long nextRecord;
    private int buffered;
    private int position;

    CifarRangeIterator(List<RecordRange> ranges, HadoopConf conf, int classCount) {
      this.ranges = ranges.iterator();
      this.conf = conf;
      this.classCount = classCount;
    }

    @Override
    public boolean hasNext() {
      try {
        while (position == buffered) {
          if (range != null && nextRecord < range.firstRecord() + range.count()) {
            int n = (int) Math.min(RECORDS_PER_READ, range.firstRecord() + range.count() - nextRecord);
            in.readFully(buffer, 0, n * CifarBinaryFormat.RECORD_BYTES);
            buffered = n;
            position = 0;
            break;
          }
          closeCurrent();
          if (!ranges.hasNext()) {
            return false;
          }
          range = ranges.next();
          Path path = new Path(range.file());
          in = path.getFileSystem(conf.get()).open(path);
          in.seek(range.firstRecord() * CifarBinaryFormat.RECORD_BYTES);
          nextRecord = range.firstRecord();
          buffered = 0;
          position = 0;
        }
        return true;
      } catch (IOException e) {
        throw new BadInputException(range.file() + ": read failed near record " + nextRecord + ": " + e, e);
      }
    }

    @Override
    public LabeledImage next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      String source = range.name() + "#" + nextRecord;
      LabeledImage image = CifarBinaryFormat.decode(buffer, position * CifarBinaryFormat.RECORD_BYTES, classCount, source);
      position++;
      nextRecord++;
      return image;
    }

    private void closeCurrent() throws IOException {
      if (in != null) {
        in.close();
        in = null;
      }
    }
  }

}
