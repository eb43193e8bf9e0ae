package org.sparklinear.loss;

/**
 * A loss on cosines rather than raw scores: {@link BlockObjective} hands it {@code cos(theta_j) = w_j . x /
 * (|w_j| |x|)} for every row and class, and takes its {@code dLoss/dcos} back through the normalisation of both
 * the rows and the class weights. The bias is not used.
 */
public interface CosineScoreLoss extends ScoreLoss {}
