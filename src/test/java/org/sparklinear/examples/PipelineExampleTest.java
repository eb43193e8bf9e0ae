package org.sparklinear.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The example's refusal of a model folder that would overwrite its images (its run is checked by ReadmeCommandsIT). */
class PipelineExampleTest {
  @Test
  void aModelFolderThatIsHoldsOrLiesInsideTheImagesOverlaps() {
    assertTrue(PipelineExample.overlaps("data-samples/images", "data-samples/images"));
    assertTrue(PipelineExample.overlaps("data-samples/images", "data-samples/images/circle/../model"));
    assertTrue(PipelineExample.overlaps("data-samples/images", "data-samples"));
    assertFalse(PipelineExample.overlaps("data-samples/images", "data-samples/images-model"));
    assertFalse(PipelineExample.overlaps("data-samples/images", "target/pipeline-model"));
  }
}
