package org.sparklinear.train;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * The live progress line for a terminal: one line on stderr, rewritten in place (at most a few times a second) with
 * epoch, step, loss, the last validation accuracy, examples per second and the time left. Cleared before anything
 * else is logged, so log lines never land in the middle of it.
 */
public final class ProgressLine {
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintStream out;
  private final LongSupplier clock;
  private final long started;
  private long lastDrawn;
  private boolean visible;
  private String validation = "-";

  public ProgressLine(PrintStream out) {
    this(out, System::nanoTime);
  }

  ProgressLine(PrintStream out, LongSupplier clock) {
    this.out = out;
    this.clock = clock;
    this.started = clock.getAsLong();
    this.lastDrawn = started - REDRAW_NANOS;
  }

  /**
   * @param step steps done in this run, from 1
   * @param totalSteps steps this run will take
   * @param examples rows processed in this run
   */
  public void update(int epoch, int epochs, int stepInEpoch, int stepsPerEpoch, double loss, long step,
      long totalSteps, long examples) {
    long now = clock.getAsLong();
    if (now - lastDrawn < REDRAW_NANOS && step < totalSteps) {
      return;
    }
    lastDrawn = now;
    double elapsed = Math.max((now - started) / 1e9, 1e-9);
    double eta = elapsed / step * (totalSteps - step);
    out.print(String.format("\r\033[Kepoch %d/%d  step %d/%d  loss %.4f  val %s  %,.0f ex/s  ETA %s", epoch, epochs,
        stepInEpoch, stepsPerEpoch, loss, validation, examples / elapsed, Trainer.formatDuration(eta)));
    out.flush();
    visible = true;
  }

  public void validationAccuracy(double accuracy) {
    validation = Double.isFinite(accuracy) ? String.format("%.4f", accuracy) : "-";
  }

  /** Removes the line, so that the next log line starts on a clean one. */
  public void clear() {
    if (visible) {
      out.print("\r\033[K");
      out.flush();
      visible = false;
    }
  }
}
