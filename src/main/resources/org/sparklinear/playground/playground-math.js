'use strict';
/*
 * The playground's mathematics, with no drawing: the same losses, penalty and update rule as the trainer
 * (org.sparklinear.loss.* and optim.SgdOptimizer). PlaygroundTest runs these functions in Chromium and requires
 * them to agree with the Java losses within 1e-9, so a change here needs the same change there.
 */
const PlaygroundMath = (() => {
  const LOSSES = ['hinge', 'squared-hinge', 'crammer-singer', 'one-vs-all', 'softmax', 'mse'];

  /* One row: replaces scores with dLoss/dscores and returns the row's loss (ScoreLoss.lossAndScoreGradient). */
  const ROW_LOSS = {
    'hinge': (s, y, delta) => weston(s, y, delta, false),
    'squared-hinge': (s, y, delta) => weston(s, y, delta, true),
    'crammer-singer': (s, y, delta) => {
      let worst = -1;
      for (let k = 0; k < s.length; k++) {
        if (k !== y && (worst < 0 || s[k] > s[worst])) { worst = k; } // ties: the lowest class, as in Java
      }
      const margin = s[worst] - s[y] + delta;
      s.fill(0);
      if (margin > 0) {
        s[worst] = 1;
        s[y] = -1;
        return margin;
      }
      return 0;
    },
    'one-vs-all': (s, y, delta) => {
      let total = 0;
      for (let k = 0; k < s.length; k++) {
        const t = k === y ? 1 : -1;
        const margin = delta - t * s[k];
        if (margin > 0) {
          total += margin;
          s[k] = -t;
        } else {
          s[k] = 0;
        }
      }
      return total;
    },
    'softmax': (s, y) => {
      let max = -Infinity;
      for (const v of s) { max = Math.max(max, v); }
      const shiftedCorrect = s[y] - max;
      let sum = 0;
      for (let k = 0; k < s.length; k++) {
        s[k] = Math.exp(s[k] - max);
        sum += s[k];
      }
      for (let k = 0; k < s.length; k++) { s[k] /= sum; }
      s[y] -= 1;
      return Math.log(sum) - shiftedCorrect;
    },
    'mse': (s, y) => {
      let total = 0;
      for (let k = 0; k < s.length; k++) {
        const error = s[k] - (k === y ? 1 : 0);
        total += 0.5 * error * error;
        s[k] = error;
      }
      return total;
    },
  };

  function weston(s, y, delta, squared) {
    const correct = s[y];
    let total = 0;
    let correctGradient = 0;
    for (let k = 0; k < s.length; k++) {
      if (k === y) { continue; }
      const margin = s[k] - correct + delta;
      if (margin > 0) {
        total += squared ? margin * margin : margin;
        const g = squared ? 2 * margin : 1;
        s[k] = g;
        correctGradient -= g;
      } else {
        s[k] = 0;
      }
    }
    s[y] = correctGradient;
    return total;
  }

  /** Scores W x + b of one row; W is K arrays of D weights. */
  function scores(W, b, x) {
    const s = new Array(W.length);
    for (let k = 0; k < W.length; k++) {
      let sum = 0;
      for (let d = 0; d < x.length; d++) { sum += W[k][d] * x[d]; }
      s[k] = sum + b[k];
    }
    return s;
  }

  /** The class with the highest score; ties go to the lowest index, as in the trainer's evaluation. */
  function predict(s) {
    let best = 0;
    for (let k = 1; k < s.length; k++) {
      if (s[k] > s[best]) { best = k; }
    }
    return best;
  }

  /**
   * The trainer's objective on rows X (each D values) with labels: mean over rows of the loss, plus lambda * sum W^2
   * (biases unregularised), its gradient, each row's loss and the accuracy.
   */
  function objective(lossName, X, labels, W, b, settings) {
    const rowLoss = ROW_LOSS[lossName];
    if (!rowLoss) { throw new Error('unknown loss ' + lossName); }
    const K = W.length;
    const D = K > 0 ? W[0].length : 0;
    const n = X.length;
    const gradW = W.map((row) => new Array(row.length).fill(0));
    const gradB = new Array(K).fill(0);
    const perPoint = new Array(n);
    let dataSum = 0;
    let correct = 0;
    for (let i = 0; i < n; i++) {
      const s = scores(W, b, X[i]);
      if (predict(s) === labels[i]) { correct++; }
      const loss = rowLoss(s, labels[i], settings.delta);
      perPoint[i] = loss;
      dataSum += loss;
      for (let k = 0; k < K; k++) {
        if (s[k] === 0) { continue; }
        for (let d = 0; d < D; d++) { gradW[k][d] += s[k] * X[i][d]; }
        gradB[k] += s[k];
      }
    }
    const lambda = settings.lambda;
    let sumSquares = 0;
    for (let k = 0; k < K; k++) {
      gradB[k] = n > 0 ? gradB[k] / n : 0;
      for (let d = 0; d < D; d++) {
        gradW[k][d] = (n > 0 ? gradW[k][d] / n : 0) + 2 * lambda * W[k][d];
        sumSquares += W[k][d] * W[k][d];
      }
    }
    const dataLoss = n > 0 ? dataSum / n : 0;
    const penalty = lambda * sumSquares;
    return {
      loss: dataLoss + penalty, dataLoss, penalty, gradW, gradB, perPoint,
      accuracy: n > 0 ? correct / n : 0,
    };
  }

  /**
   * One SGD step with momentum mu, as optim.SgdOptimizer: v = mu v - lr g; then p += v, or with Nesterov
   * p += -mu v_previous + (1 + mu) v. Updates W, b and the velocity (same shapes) in place.
   */
  function sgdStep(W, b, velocity, gradient, lr, mu, nesterov) {
    const update = (params, vel, grad) => {
      for (let i = 0; i < params.length; i++) {
        const previous = vel[i];
        const v = mu * previous - lr * grad[i];
        vel[i] = v;
        params[i] += nesterov ? -mu * previous + (1 + mu) * v : v;
      }
    };
    for (let k = 0; k < W.length; k++) { update(W[k], velocity.W[k], gradient.gradW[k]); }
    update(b, velocity.b, gradient.gradB);
  }

  /** A seeded generator of doubles in [0, 1) (mulberry32): the same data and features for the same seed. */
  function random(seed) {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6D2B79F5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** Box–Muller, the form of FeatureTransform.gaussian. */
  function gaussian(next) {
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Per-column mean and standard deviation (population), floored at 1e-3 as preprocess.Preprocessor does. */
  function standardisation(rows) {
    const D = rows.length > 0 ? rows[0].length : 0;
    const mean = new Array(D).fill(0);
    const scale = new Array(D).fill(1);
    if (rows.length === 0) { return { mean, scale }; }
    for (const r of rows) { for (let d = 0; d < D; d++) { mean[d] += r[d]; } }
    for (let d = 0; d < D; d++) { mean[d] /= rows.length; }
    for (let d = 0; d < D; d++) {
      let squares = 0;
      for (const r of rows) { squares += r[d] * r[d]; }
      scale[d] = Math.max(Math.sqrt(Math.max(0, squares / rows.length - mean[d] * mean[d])), 1e-3);
    }
    return { mean, scale };
  }

  /**
   * Random ReLU features of 2-D points, built as the trainer's --random-features builds them from image features
   * (features.FeatureTransform, then the preprocessing): the inputs standardised with statistics of the given
   * points, a Gaussian projection to N dimensions with variance 1/D, a uniform offset in [-1, 1), a ReLU, and each
   * feature standardised. Returns map(point) -> N values.
   */
  function randomFeatures(points, N, seed) {
    const input = standardisation(points);
    const next = random(seed);
    const D = 2;
    const scale = 1 / Math.sqrt(D);
    const G = [];
    for (let j = 0; j < N; j++) { G.push([scale * gaussian(next), scale * gaussian(next)]); }
    const offsets = [];
    for (let j = 0; j < N; j++) { offsets.push(next() * 2 - 1); }
    const relu = (p) => {
      const z0 = (p[0] - input.mean[0]) / input.scale[0];
      const z1 = (p[1] - input.mean[1]) / input.scale[1];
      const out = new Array(N);
      for (let j = 0; j < N; j++) { out[j] = Math.max(0, offsets[j] + G[j][0] * z0 + G[j][1] * z1); }
      return out;
    };
    const output = standardisation(points.map(relu));
    return (p) => relu(p).map((v, j) => (v - output.mean[j]) / output.scale[j]);
  }

  /**
   * The largest eigenvalue of the rows' second-moment matrix (1/n) sum a a^T, a = (row, 1) with the bias's input, by
   * power iteration: the curvature of the squared error in W and b along its steepest direction.
   */
  function largestEigenvalue(rows) {
    const D = rows[0].length + 1;
    let v = new Array(D).fill(1 / Math.sqrt(D));
    let value = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      const next = new Array(D).fill(0);
      for (const r of rows) {
        let dot = v[D - 1];
        for (let d = 0; d < D - 1; d++) { dot += r[d] * v[d]; }
        for (let d = 0; d < D - 1; d++) { next[d] += (dot * r[d]) / rows.length; }
        next[D - 1] += dot / rows.length;
      }
      const norm = Math.hypot(...next);
      if (!(norm > 0)) { return 0; }
      const converged = Math.abs(norm - value) <= 1e-6 * norm;
      value = norm;
      v = next.map((x) => x / norm);
      if (converged) { break; }
    }
    return value;
  }

  /** Curvature of the loss in the scores, per unit of the rows' curvature: where a fixed rate would diverge. */
  const CURVATURE = { 'mse': 1, 'squared-hinge': 2 };

  /**
   * The page's "auto" learning rate, like the trainer's --lr auto a rate per loss: 0.1, but at most 1/(c·λmax) for
   * the losses whose curvature grows with the features' (c = 1 for MSE, 2 for the squared hinge), since with N
   * random features λmax grows about as N and a fixed rate diverges.
   */
  function suggestedRate(lossName, rows) {
    const c = CURVATURE[lossName];
    if (!c || rows.length === 0) { return 0.1; }
    return Math.min(0.1, 1 / (c * largestEigenvalue(rows)));
  }

  return { LOSSES, objective, scores, predict, sgdStep, random, gaussian, randomFeatures, suggestedRate };
})();
if (typeof window !== 'undefined') { window.PlaygroundMath = PlaygroundMath; }
