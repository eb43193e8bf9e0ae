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
import org.sparklinear.registry.ModelRegistry;
import org.sparklinear.train.ValidationSplit;

/** A saved model and the images to apply it to, read so that they fit the model (classes, image size). */
record ModelInput(LinearClassifier model, ImageDataset dataset) {

  static ModelInput load(JavaSparkContext sc, Options options) {
    return load(sc, options, false);
  }

  /** @param unlabelled read {@code --data} as image files outside class folders (labels unknown) */
  static ModelInput load(JavaSparkContext sc, Options options, boolean unlabelled) {
    LinearClassifier model = readModel(sc.hadoopConfiguration(), options.required("model"));
    ReadOptions read = readOptionsFor(model, options, sc);
    if (unlabelled && read.format() != null && read.format() != org.sparklinear.data.DataFormat.IMAGES) {
      throw new UsageException("--unlabelled reads image files; it does not go with --format "
          + read.format().cliName());
    }
    DatasetReader reader = new DatasetReader(sc);
    ImageDataset dataset = unlabelled ? reader.readUnlabelled(options.required("data"), read)
        : reader.read(options.required("data"), read);
    model.checkCompatible(dataset.shape(), options.required("data"));
    return new ModelInput(model, dataset);
  }

  /** The confusion matrix of a model on labelled images: its features, its preprocessing, one pass on Spark. */
  static org.sparklinear.eval.ConfusionMatrix score(JavaSparkContext sc, LinearClassifier model,
      JavaRDD<LabeledImage> images) {
    return org.sparklinear.eval.BlockEvaluator.evaluate(sc, org.sparklinear.train.BlockPacker.pack(
        org.sparklinear.train.FeatureStage.apply(images, model.features(), model.shape()), model.preprocessor()),
        model.weights());
  }

  /** A model directory, or the current version of a model registry. */
  static LinearClassifier readModel(org.apache.hadoop.conf.Configuration conf, String dir) {
    if (ModelRegistry.isRegistry(dir, conf)) {
      ModelRegistry registry = new ModelRegistry(dir, conf);
      try {
        String version = registry.current().orElseThrow();
        org.slf4j.LoggerFactory.getLogger(ModelInput.class).info("{} is a registry: using its current version {}",
            dir, version);
        return registry.readModel(version);
      } catch (java.io.IOException e) {
        throw new BadInputException(dir + ": cannot read the registry: " + e.getMessage(), e);
      }
    }
    return new ModelStore(conf).read(dir);
  }

  /** How to read images for {@code model}: its classes, and its image size unless --image-size says otherwise. */
  static ReadOptions readOptionsFor(LinearClassifier model, Options options, JavaSparkContext sc) {
    ReadOptions read = DataOptions.from(options, sc, model.classNames());
    if (!options.isSet("image-size")) {
      read = read.withImageSize(model.shape().width() + "x" + model.shape().height(), model.shape().channels());
    }
    return read;
  }

  /** The records of {@code --split}: all, or the validation or training part of the split the model was trained with. */
  JavaRDD<LabeledImage> images(String split) {
    if (split.equals("all")) {
      return dataset.images();
    }
    if (!split.equals("validation") && !split.equals("training")) {
      throw new UsageException("--split must be all, validation or training, got '" + split + "'");
    }
    Map<String, String> conf = model.metadata().trainingConfiguration();
    if (conf.get("seed") == null || conf.get("val-fraction") == null) {
      throw new BadInputException("the model's metadata has no seed and val-fraction to recover its split from");
    }
    ValidationSplit vs;
    try {
      vs = new ValidationSplit(Long.parseLong(conf.get("seed")), Double.parseDouble(conf.get("val-fraction")));
    } catch (IllegalArgumentException e) {
      throw new BadInputException("the model's metadata has an unreadable seed or val-fraction: " + e.getMessage());
    }
    boolean wantValidation = split.equals("validation");
    return dataset.images().filter(img -> vs.isValidation(img.source()) == wantValidation);
  }
}
