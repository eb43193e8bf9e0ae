package org.sparklinear.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Reads image files that are not in class folders (a folder of them, or a glob), as serving data comes: every example
 * has label -1 (unknown). The driver lists the files; tasks read and decode their slice of the list, as for class
 * folders, so an undecodable file fails the job with its path (or is skipped under {@code --skip-bad-images}).
 */
final class UnlabelledImageReader {
  private final JavaSparkContext sc;

  UnlabelledImageReader(JavaSparkContext sc) {
    this.sc = sc;
  }

  /** {@code options} must give the image size (the model's); its class names are the model's. */
  ImageDataset read(String path, ReadOptions options, Configuration conf) throws IOException {
    List<FileStatus> listed = InputFiles.list(path, conf,
        name -> InputFiles.visible(name) && ImageDecoder.hasImageExtension(name), "image files ("
            + String.join(", ", ImageDecoder.EXTENSIONS.stream().sorted().toList()) + ")");
    String common = commonParent(listed);
    List<ImageFile> files = new ArrayList<>();
    for (FileStatus f : listed) {
      String full = f.getPath().toString();
      files.add(new ImageFile(full, full.substring(common.length()), -1));
    }
    return ImageFolderReader.decode(sc, conf, files, options.classNames(),
        ImageShape.parseSize(options.imageSize(), options.channels()), options,
        "unlabelled image files, " + files.size() + " files");
  }

  /**
   * The longest folder prefix (ending in '/') all files share: an example is named by its path below it, so a flat
   * folder's files by their file names, and a glob's matches in several folders by their distinct relative paths.
   */
  private static String commonParent(List<FileStatus> files) {
    String prefix = files.get(0).getPath().getParent().toString() + "/";
    for (FileStatus f : files) {
      String s = f.getPath().toString();
      while (!s.startsWith(prefix)) {
        prefix = prefix.substring(0, prefix.lastIndexOf('/', prefix.length() - 2) + 1);
      }
    }
    return prefix;
  }
}
