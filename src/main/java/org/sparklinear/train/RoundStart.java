package org.sparklinear.train;

import java.io.Serializable;
import org.sparklinear.linalg.LinearWeights;

/**
 * Where every partition starts a round of local steps: the shared weights and the driver's optimizer state
 * ({@link org.sparklinear.optim.Optimizer#state}), broadcast together. Neither changes until the round has returned.
 */
public record RoundStart(LinearWeights weights, double[] optimizerState) implements Serializable {}
