package org.sparklinear.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.BadInputException;

/**
 * Turns a path on any Hadoop file system into an RDD of {@link LabeledImage}s.
 *
 * <p>The driver lists and validates the input first (file sizes, class folders, the first image's size), so that
 * most bad input fails before a job starts, and it plans the partitions itself: each task reads a contiguous
 * range of records or a slice of the file list, and the same input always gives the same partitions.
 */
public final class DatasetReader {
  private static final Logger LOG = LoggerFactory.getLogger(DatasetReader.class);
  /** Records read per I/O call when scanning CIFAR files. */
  private static final int RECORDS_PER_READ = 512;

  private final JavaSparkContext sc;

  public DatasetReader(JavaSparkContext sc) {
    this.sc = sc;
  }

  public ImageDataset read(String path, ReadOptions options) {
    Configuration conf = sc.hadoopConfiguration();
    try {
      DataFormat format = options.format() != null ? options.format() : detect(path, conf);
      return format == DataFormat.CIFAR10 ? readCifar(path, options, conf) : readImageFolders(path, options, conf);
    } catch (IOException e) {
      throw new BadInputException(path + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** CIFAR when the path names {@code .bin} files or a folder holding them; image folders otherwise. */
  static DataFormat detect(String path, Configuration conf) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    FileStatus[] matches = fs.globStatus(p);
    if (matches == null || matches.length == 0) {
      throw new BadInputException(path + ": no such file or directory");
    }
    for (FileStatus m : matches) {
      if (m.isFile()) {
        if (m.getPath().getName().toLowerCase(Locale.ROOT).endsWith(".bin")) {
          return DataFormat.CIFAR10;
        }
      } else {
        for (FileStatus child : fs.listStatus(m.getPath())) {
          if (child.isFile() && child.getPath().getName().toLowerCase(Locale.ROOT).endsWith(".bin")) {
            return DataFormat.CIFAR10;
          }
        }
      }
    }
    for (FileStatus m : matches) {
      if (m.isDirectory()) {
        return DataFormat.IMAGES;
      }
    }
    throw new BadInputException(path + ": cannot tell the data format (neither .bin CIFAR-10 files nor a folder of"
        + " class folders); pass --format cifar10 or --format images");
  }

  // ---------------------------------------------------------------- CIFAR-10 binary

  /** A run of consecutive records of one file, read by one task. */
  private record RecordRange(String file, String name, long firstRecord, long count) implements Serializable {}

  private ImageDataset readCifar(String path, ReadOptions options, Configuration conf) throws IOException {
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
    HadoopConf hadoopConf = new HadoopConf(conf);
    int classCount = classNames.size();
    JavaRDD<LabeledImage> images = sc.parallelize(plan, plan.size())
        .flatMap(ranges -> new CifarRangeIterator(ranges, hadoopConf, classCount));
    String description = "CIFAR-10 binary, " + files.size() + " file(s), " + total + " records";
    return new ImageDataset(images, classNames, ImageShape.CIFAR10, total, sc.sc().longAccumulator("skippedBadImages"),
        description);
  }

  private static List<FileStatus> listCifarFiles(String path, Configuration conf) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    FileStatus[] matches = fs.globStatus(p);
    if (matches == null || matches.length == 0) {
      throw new BadInputException(path + ": no such file or directory");
    }
    List<FileStatus> files = new ArrayList<>();
    for (FileStatus m : matches) {
      if (m.isFile()) {
        files.add(m);
      } else {
        for (FileStatus child : fs.listStatus(m.getPath())) {
          if (child.isFile() && child.getPath().getName().toLowerCase(Locale.ROOT).endsWith(".bin")) {
            files.add(child);
          }
        }
      }
    }
    if (files.isEmpty()) {
      throw new BadInputException(path + ": no CIFAR-10 .bin files found");
    }
    files.sort(Comparator.comparing(f -> f.getPath().toString()));
    return files;
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
    int fileIndex = 0;
    long offsetInFile = 0;
    for (int i = 0; i < p; i++) {
      long want = total * (i + 1) / p - total * i / p;
      List<RecordRange> ranges = new ArrayList<>();
      while (want > 0) {
        FileStatus f = files.get(fileIndex);
        long inFile = f.getLen() / CifarBinaryFormat.RECORD_BYTES;
        long take = Math.min(want, inFile - offsetInFile);
        ranges.add(new RecordRange(f.getPath().toString(), f.getPath().getName(), offsetInFile, take));
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

  // ---------------------------------------------------------------- image folders

  /** One image file and its class. */
  private record ImageFile(String path, String source, int label) implements Serializable {}

  private ImageDataset readImageFolders(String path, ReadOptions options, Configuration conf) throws IOException {
    Path root = new Path(path);
    FileSystem fs = root.getFileSystem(conf);
    if (!fs.exists(root)) {
      throw new BadInputException(path + ": no such directory");
    }
    if (!fs.getFileStatus(root).isDirectory()) {
      throw new BadInputException(path + ": an image dataset is a directory of class folders, this is a file");
    }
    FileStatus[] rootEntries = fs.listStatus(root);
    FileStatus[] classDirs = Arrays.stream(rootEntries).filter(FileStatus::isDirectory)
        .filter(s -> !s.getPath().getName().startsWith("."))
        .sorted(Comparator.comparing(s -> s.getPath().getName())).toArray(FileStatus[]::new);
    long hidden = Arrays.stream(rootEntries).filter(FileStatus::isDirectory)
        .filter(s -> s.getPath().getName().startsWith(".")).count();
    if (hidden > 0) {
      LOG.warn("{}: ignored {} hidden folder(s) (names starting with '.') among the class folders", path, hidden);
    }
    if (classDirs.length == 0) {
      throw new BadInputException(path + ": no class folders (expected " + path + "/<class>/<image files>)");
    }
    List<String> folderNames = Arrays.stream(classDirs).map(s -> s.getPath().getName()).collect(Collectors.toList());
    List<String> classNames = options.classNames() != null ? options.classNames() : folderNames;
    if (options.classNames() == null && classNames.size() < 2) {
      throw new BadInputException(path + ": found only the class folder " + folderNames + "; a classifier needs at least 2");
    }
    List<ImageFile> files = new ArrayList<>();
    int ignored = 0;
    for (FileStatus dir : classDirs) {
      String className = dir.getPath().getName();
      int label = classNames.indexOf(className);
      if (label < 0) {
        throw new BadInputException(dir.getPath() + ": class '" + className + "' is not one of the model's classes "
            + classNames);
      }
      FileStatus[] entries = fs.listStatus(dir.getPath());
      Arrays.sort(entries, Comparator.comparing(s -> s.getPath().getName()));
      int before = files.size();
      for (FileStatus f : entries) {
        String name = f.getPath().getName();
        if (f.isFile() && ImageDecoder.hasImageExtension(name)) {
          files.add(new ImageFile(f.getPath().toString(), className + "/" + name, label));
        } else if (!name.startsWith(".")) {
          ignored++;
        }
      }
      if (files.size() == before) {
        throw new BadInputException(dir.getPath() + ": class folder has no images (." + String.join(", .",
            ImageDecoder.EXTENSIONS.stream().sorted().toList()) + ")");
      }
    }
    if (ignored > 0) {
      LOG.warn("{}: ignored {} entries in class folders that are not image files", path, ignored);
    }

    ImageShape shape = options.imageSize() != null
        ? ImageShape.parseSize(options.imageSize(), options.channels())
        : shapeOfFirstImage(files.get(0), fs, options);
    int p = Math.max(1, Math.min(options.partitions(), files.size()));
    HadoopConf hadoopConf = new HadoopConf(conf);
    boolean skip = options.skipBadImages();
    long maxPixels = options.maxImagePixels();
    LongAccumulator skipped = sc.sc().longAccumulator("skippedBadImages");
    JavaRDD<LabeledImage> images = sc.parallelize(files, p).flatMap(file -> {
      try {
        Path filePath = new Path(file.path());
        byte[] encoded;
        try (InputStream in = filePath.getFileSystem(hadoopConf.get()).open(filePath)) {
          encoded = in.readAllBytes();
        }
        byte[] pixels = ImageDecoder.decode(encoded, file.path(), shape, maxPixels);
        return List.of(new LabeledImage(file.source(), file.label(), pixels)).iterator();
      } catch (BadInputException | IOException e) {
        if (!skip) {
          throw e instanceof BadInputException bad ? bad
              : new BadInputException(file.path() + ": cannot read: " + e, e);
        }
        skipped.add(1);
        LOG.warn("skipping bad image (--skip-bad-images): {}", e.getMessage());
        return java.util.Collections.<LabeledImage>emptyIterator();
      }
    });
    String description = "image folders, " + classNames.size() + " classes, " + files.size() + " files";
    return new ImageDataset(images, classNames, shape, files.size(), skipped, description);
  }

  private static ImageShape shapeOfFirstImage(ImageFile first, FileSystem fs, ReadOptions options) throws IOException {
    byte[] encoded;
    try (InputStream in = fs.open(new Path(first.path()))) {
      encoded = in.readAllBytes();
    }
    int[] size = ImageDecoder.readSize(encoded, first.path(), options.maxImagePixels());
    return new ImageShape(options.channels(), size[1], size[0]);
  }
}
