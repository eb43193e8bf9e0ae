package org.sparklinear.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code root/<class>/<image files>}: the driver lists the class folders and files (and reads the first image's
 * header for the default size); tasks read and decode their slice of the file list.
 */
final class ImageFolderReader {
  private static final Logger LOG = LoggerFactory.getLogger(ImageFolderReader.class);

  private final JavaSparkContext sc;

  ImageFolderReader(JavaSparkContext sc) {
    this.sc = sc;
  }

  ImageDataset read(String path, ReadOptions options, Configuration conf) throws IOException {
    FileSystem fs = ClassFolders.requireDirectory(path, conf);
    ClassFolders.Plan plan = ClassFolders.plan(path, list(path, fs), options);
    List<ImageFile> files = plan.files();
    ImageShape shape = ClassFolders.shape(plan, fs, options);
    return decode(sc, conf, files, plan.classNames(), shape, options,
        "image folders, " + plan.classNames().size() + " classes, " + files.size() + " files");
  }

  /** Listed image files as a dataset: tasks read and decode their slice of the list. */
  static ImageDataset decode(JavaSparkContext sc, Configuration conf, List<ImageFile> files, List<String> classNames,
      ImageShape shape, ReadOptions options, String description) {
    int p = Math.max(1, Math.min(options.partitions(), files.size()));
    HadoopConf hadoopConf = new HadoopConf(sc, conf);
    LongAccumulator skipped = sc.sc().longAccumulator("skippedBadImages");
    ImageFileDecoding decoding = new ImageFileDecoding(shape, options, skipped);
    JavaRDD<LabeledImage> images = sc.parallelize(files, p).flatMap(file -> decoding.decode(file, () -> {
      Path filePath = new Path(file.path());
      try (InputStream in = filePath.getFileSystem(hadoopConf.get()).open(filePath)) {
        return in.readAllBytes();
      }
    }));
    return new ImageDataset(images, classNames, shape, files.size(), skipped, description);
  }

  /** The class folders one level down, and their entries; hidden folders are not classes. */
  private static List<ClassFolders.Listed> list(String path, FileSystem fs) throws IOException {
    FileStatus[] dirs = Arrays.stream(fs.listStatus(new Path(path))).filter(FileStatus::isDirectory)
        .toArray(FileStatus[]::new);
    long hidden = Arrays.stream(dirs).filter(s -> s.getPath().getName().startsWith(".")).count();
    if (hidden > 0) {
      LOG.warn("{}: ignored {} hidden folder(s) (names starting with '.') among the class folders", path, hidden);
    }
    List<ClassFolders.Listed> folders = new ArrayList<>();
    for (FileStatus dir : dirs) {
      if (dir.getPath().getName().startsWith(".")) {
        continue;
      }
      TreeMap<String, String> files = new TreeMap<>();
      int others = 0;
      for (FileStatus entry : fs.listStatus(dir.getPath())) {
        String name = entry.getPath().getName();
        if (entry.isFile()) {
          files.put(name, entry.getPath().toString());
        } else if (!name.startsWith(".")) {
          others++;
        }
      }
      folders.add(new ClassFolders.Listed(dir.getPath().getName(), dir.getPath().toString(), files, others));
    }
    return folders;
  }
}
