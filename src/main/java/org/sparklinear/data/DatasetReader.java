package org.sparklinear.data;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparklinear.BadInputException;

/**
 * Turns a path on any Hadoop file system into an RDD of {@link LabeledImage}s.
 *
 * <p>The driver lists and validates the input first (file sizes, class folders, the first image's size), so that
 * most bad input fails before a job starts, and it plans the partitions itself: each task reads a contiguous
 * range of records or a slice of the file list, and the same input always gives the same partitions. (With
 * {@code binary-files} Spark lists the class folders and reads the files; the rows are then brought into the same
 * slices.)
 */
public final class DatasetReader {
  private static final String FLAT_LISTING_SCHEMES = "spark.sql.sources.useListFilesFileSystemList";

  private final JavaSparkContext sc;

  public DatasetReader(JavaSparkContext sc) {
    this.sc = sc;
  }

  public ImageDataset read(String path, ReadOptions options) {
    Configuration conf = sc.hadoopConfiguration();
    try {
      DataFormat format = options.format() != null ? options.format()
          : detect(path, conf, flatListingSchemes(sc));
      return switch (format) {
        case CIFAR10 -> new CifarReader(sc).read(path, options, conf);
        case IMAGES -> new ImageFolderReader(sc).read(path, options, conf);
        case BINARY_FILES -> new BinaryFilesReader(sc).read(path, options, conf);
        case LIBSVM -> new LibSvmReader(sc).read(path, options, conf);
      };
    } catch (IOException e) {
      throw new BadInputException(path + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Image files that are not in class folders (a folder of them, or a glob), for prediction: every example's label is
   * -1 (unknown). {@code options} must give the image size and the model's class names.
   */
  public ImageDataset readUnlabelled(String path, ReadOptions options) {
    if (options.imageSize() == null || options.classNames() == null) {
      throw new IllegalArgumentException("unlabelled images are read at a model's size, for its classes");
    }
    try {
      return new UnlabelledImageReader(sc).read(path, options, sc.hadoopConfiguration());
    } catch (IOException e) {
      throw new BadInputException(path + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * The file systems on which Spark lists a whole tree with one flat listing (its
   * {@code spark.sql.sources.useListFilesFileSystemList}, {@code s3a} by default): there a folder of class folders is
   * read with the binaryFile source, whose listing costs a few paged requests where the image-folder reader's costs
   * one request per class folder.
   */
  static Set<String> flatListingSchemes(JavaSparkContext sc) {
    return Arrays.stream(sc.getConf().get(FLAT_LISTING_SCHEMES, "s3a").split(",")).map(String::trim)
        .filter(s -> !s.isEmpty()).map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  /**
   * CIFAR when the path names {@code .bin} files or a folder holding them, LibSVM likewise for {@code .libsvm} or
   * {@code .svm} files; image folders otherwise, read through Spark's binaryFile source on a file system of
   * {@code flatListing} and by the image-folder reader elsewhere.
   */
  static DataFormat detect(String path, Configuration conf, Set<String> flatListing) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    FileStatus[] matches = fs.globStatus(p);
    if (matches == null || matches.length == 0) {
      throw new BadInputException(path + ": no such file or directory");
    }
    for (FileStatus m : matches) {
      for (FileStatus f : m.isFile() ? new FileStatus[] {m} : fs.listStatus(m.getPath())) {
        DataFormat byName = f.isFile() ? byExtension(f.getPath().getName()) : null;
        if (byName != null) {
          return byName;
        }
      }
    }
    for (FileStatus m : matches) {
      if (m.isDirectory()) {
        String scheme = m.getPath().toUri().getScheme();
        return scheme != null && flatListing.contains(scheme.toLowerCase(Locale.ROOT)) ? DataFormat.BINARY_FILES
            : DataFormat.IMAGES;
      }
    }
    throw new BadInputException(path + ": cannot tell the data format (neither .bin CIFAR-10 files nor a folder of"
        + " class folders); pass --format cifar10, images, binary-files or libsvm");
  }

  private static DataFormat byExtension(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".bin")) {
      return DataFormat.CIFAR10;
    }
    return lower.endsWith(".libsvm") || lower.endsWith(".svm") ? DataFormat.LIBSVM : null;
  }

}
