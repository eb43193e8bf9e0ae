package org.sparklinear.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
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
 * Reads {@code root/<class>/<image files>}: the driver lists the class folders and files (and reads the first image's
 * header for the default size); tasks decode their slice of the file list with {@link ImageDecoder}.
 */
final class ImageFolderReader {
  private static final Logger LOG = LoggerFactory.getLogger(ImageFolderReader.class);

  private final JavaSparkContext sc;

  ImageFolderReader(JavaSparkContext sc) {
    this.sc = sc;
  }

  /** One image file and its class. */
  private record ImageFile(String path, String source, int label) implements Serializable {}

  ImageDataset read(String path, ReadOptions options, Configuration conf) throws IOException {
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
    HadoopConf hadoopConf = new HadoopConf(sc, conf);
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
