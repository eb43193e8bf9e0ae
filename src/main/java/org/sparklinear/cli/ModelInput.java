package org.sparklinear.cli;

import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparklinear.BadInputException;
import org.sparklinear.data.DatasetReader;
import org.sparklinear.data.ImageDataset;
import org.sparklinear.data.LabeledImage;
import org.sparklinear.data.ReadOptions;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.ModelStore;
import org.sparklinear.train.ValidationSplit;

/** A saved model and the images to apply it to, read so that they fit the model (classes, image size). */
record ModelInput(LinearClassifier model, ImageDataset dataset) {

  static ModelInput load(JavaSparkContext sc, Options options) {
    LinearClassifier model = new ModelStore(sc.hadoopConfiguration()).read(options.required("model"));
    ReadOptions read = DataOptions.from(options, sc, model.classNames());
    if (!options.isSet("image-size")) {
      read = read.withImageSize(model.shape().width() + "x" + model.shape().height(), model.shape().channels());
    }
    ImageDataset dataset = new DatasetReader(sc).read(options.required("data"), read);
    model.checkCompatible(dataset.shape(), options.required("data"));
    return new ModelInput(model, dataset);
  }

  /** The records of {@code --split}: all, or the validation or training part of the split the model was trained with. */
  JavaRDD<LabeledImage> images(String split) {
    if (split.equals("all")) {
      return dataset.images();
    }
    if (!split.equals("validation") && !split.equals("training")) {
      throw new UsageException("--split must be all, validation or training, got '" + split + "'");
    }
    Object conf = model.metadata().get("trainingConfiguration");
    if (!(conf instanceof Map<?, ?> m) || m.get("seed") == null || m.get("val-fraction") == null) {
      throw new BadInputException("the model's metadata has no seed and val-fraction to recover its split from");
    }
    ValidationSplit vs = new ValidationSplit(Long.parseLong(m.get("seed").toString()),
        Double.parseDouble(m.get("val-fraction").toString()));
    boolean wantValidation = split.equals("validation");
    return dataset.images().filter(img -> vs.isValidation(img.source()) == wantValidation);
  }
}
