package org.sparklinear.data;

import java.io.IOException;
import java.io.Serializable;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.BadInputException;

/**
 * What a task does with one image file's bytes, whichever reader fetched them: decode them to the dataset's shape, or
 * under {@code --skip-bad-images} count and skip a file that cannot be read or decoded.
 */
final class ImageFileDecoding implements Serializable {
  private static final Logger LOG = LoggerFactory.getLogger(ImageFileDecoding.class);

  /** Fetches a file's bytes; may fail as file systems do. */
  interface Bytes {
    byte[] get() throws IOException;
  }

  private final ImageShape shape;
  private final long maxPixels;
  private final boolean skipBadImages;
  private final LongAccumulator skipped;

  ImageFileDecoding(ImageShape shape, ReadOptions options, LongAccumulator skipped) {
    this.shape = shape;
    this.maxPixels = options.maxImagePixels();
    this.skipBadImages = options.skipBadImages();
    this.skipped = skipped;
  }

  /** The decoded image, or nothing when it is bad and skipped. */
  Iterator<LabeledImage> decode(ImageFile file, Bytes bytes) {
    try {
      byte[] pixels = ImageDecoder.decode(bytes.get(), file.path(), shape, maxPixels);
      return List.of(new LabeledImage(file.source(), file.label(), pixels)).iterator();
    } catch (BadInputException | IOException e) {
      if (!skipBadImages) {
        throw e instanceof BadInputException bad ? bad : new BadInputException(file.path() + ": cannot read: " + e, e);
      }
      skipped.add(1);
      LOG.warn("skipping bad image (--skip-bad-images): {}", e.getMessage());
      return Collections.emptyIterator();
    }
  }
}
