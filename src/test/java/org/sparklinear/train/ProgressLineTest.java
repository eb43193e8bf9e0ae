package org.sparklinear.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The terminal progress line: what it shows, how often it redraws, and that it gets out of the way of log lines. */
class ProgressLineTest {

  @Test
  void redrawsInPlaceAtMostFiveTimesASecondAndClearsBeforeLogLines() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    AtomicLong now = new AtomicLong(0);
    ProgressLine line = new ProgressLine(out, now::get);

    now.set(2_000_000_000L); // 2 s after the start: 10 steps of 1024 rows done, 90 to go
    line.update(1, 5, 10, 20, 2.3026, 10, 100, 10_240);
    String first = bytes.toString(StandardCharsets.UTF_8);
    assertEquals("\r\033[Kepoch 1/5  step 10/20  loss 2.3026  val -  5,120 ex/s  ETA 18s", first);

    now.addAndGet(100_000_000L); // 0.1 s later: too soon to redraw
    line.update(1, 5, 11, 20, 2.2, 11, 100, 11_264);
    assertEquals(first, bytes.toString(StandardCharsets.UTF_8));

    line.validationAccuracy(0.4123);
    line.clear();
    assertEquals(first + "\r\033[K", bytes.toString(StandardCharsets.UTF_8));
    line.clear(); // nothing shown, nothing to clear
    assertEquals(first + "\r\033[K", bytes.toString(StandardCharsets.UTF_8));

    now.addAndGet(100_000_000L);
    line.update(2, 5, 1, 20, 1.9, 21, 100, 21_504);
    String second = bytes.toString(StandardCharsets.UTF_8).substring(first.length() + 4);
    assertEquals("\r\033[Kepoch 2/5  step 1/20  loss 1.9000  val 0.4123  9,775 ex/s  ETA 8s", second);
  }

  @Test
  void theLastStepIsAlwaysDrawn() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AtomicLong now = new AtomicLong(1_000_000_000L);
    ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get);
    now.addAndGet(500_000_000L);
    line.update(1, 1, 9, 10, 1.0, 9, 10, 90);
    now.addAndGet(1_000_000L);
    line.update(1, 1, 10, 10, 0.9, 10, 10, 100);
    assertEquals(2, bytes.toString(StandardCharsets.UTF_8).split("\r\033\\[K").length - 1);
  }
}
