package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Every output option of every command pointed at an input, at an input's parent, inside an input, at a directory
 * this job did not write and at an existing file, with and without {@code --overwrite}: each run must exit 2, name
 * both paths (or what it found), and leave every file under the fixture root byte-identical, with nothing added.
 * The same matrix runs on the local file system and on HDFS.
 */
final class OutputSafetyMatrix {
  /** A command with the inputs it reads and the outputs it writes (false: the output is a file). */
  record Spec(String command, Map<String, String> inputs, Map<String, Boolean> outputs, boolean hasOverwrite) {}

  private final FileSystem fs;
  private final String root; // the fixture root, qualified ("hdfs://..." or a local absolute path)
  private final java.nio.file.Path localRoot; // where --conf-file lives (always a local file)
  private final boolean withReports;
  private int cases;

  /**
   * @param fs the file system of {@code root}
   * @param model a local model directory to copy in as the {@code --model} input
   * @param cifar the local sample CIFAR-10 directory to copy in as {@code --data} and {@code --holdout}
   */
  OutputSafetyMatrix(FileSystem fs, String root, java.nio.file.Path localRoot, java.nio.file.Path model,
      java.nio.file.Path cifar, boolean withReports) throws IOException {
    this.fs = fs;
    this.root = root;
    this.localRoot = localRoot;
    this.withReports = withReports;
    java.nio.file.Path tiny = tenRecords(cifar, localRoot.resolve("ten-records"));
    fs.copyFromLocalFile(new Path(tiny.toUri()), new Path(root + "/in/data"));
    fs.copyFromLocalFile(new Path(tiny.toUri()), new Path(root + "/in/holdout"));
    fs.copyFromLocalFile(new Path(model.toUri()), new Path(root + "/in/model"));
    write(new Path(root + "/foreign/notes.txt"), "not made by this job\n");
    write(new Path(root + "/file.txt"), "a file, not a directory\n");
    Files.createDirectories(localRoot.resolve("conf"));
    Files.writeString(localRoot.resolve("conf/job.properties"), "epochs = 1\n");
  }

  /**
   * The samples' first ten records: every refusal comes before any data is read, and each case hashes every input
   * file twice (the whole sample file made the HDFS matrix take ~40 s).
   */
  private static java.nio.file.Path tenRecords(java.nio.file.Path cifar, java.nio.file.Path dir) throws IOException {
    Files.createDirectories(dir);
    try (var files = Files.list(cifar)) {
      for (java.nio.file.Path f : files.toList()) {
        byte[] bytes = Files.readAllBytes(f);
        boolean records = f.getFileName().toString().endsWith(".bin");
        Files.write(dir.resolve(f.getFileName()), records
            ? java.util.Arrays.copyOf(bytes, 10 * org.sparklinear.data.CifarBinaryFormat.RECORD_BYTES) : bytes);
      }
    }
    return dir;
  }

  String data() {
    return root + "/in/data";
  }

  String confFile() {
    return localRoot.resolve("conf/job.properties").toString();
  }

  List<Spec> specs() {
    String data = data();
    String holdout = root + "/in/holdout";
    String model = root + "/in/model";
    Map<String, Boolean> trainOutputs = new java.util.LinkedHashMap<>(Map.of("model-out", true, "checkpoint-dir", true,
        "metrics-file", false));
    Map<String, Boolean> sweepOutputs = new java.util.LinkedHashMap<>(Map.of("model-out", true, "metrics-file", false));
    if (withReports) {
      trainOutputs.put("report", true);
      sweepOutputs.put("report", true);
    }
    List<Spec> specs = new ArrayList<>(List.of(
        new Spec("train", Map.of("data", data, "conf-file", confFile()), trainOutputs, true),
        new Spec("sweep", Map.of("data", data, "conf-file", confFile()), sweepOutputs, true),
        new Spec("retrain", Map.of("data", data, "holdout", holdout, "conf-file", confFile()),
            Map.of("registry", true, "checkpoint-dir", true, "metrics-file", false), false),
        new Spec("predict", Map.of("model", model, "data", data, "conf-file", confFile()), Map.of("out", true), true),
        new Spec("export", Map.of("model", model, "conf-file", confFile()), Map.of("out", false), true)));
    if (withReports) {
      specs.add(new Spec("report", Map.of("model", model, "data", data, "conf-file", confFile()), Map.of("out", true),
          true));
    }
    return specs;
  }

  /** Runs every case of every spec; returns the number of refused runs checked. */
  int runAll() throws Exception {
    for (Spec spec : specs()) {
      for (String output : spec.outputs().keySet()) {
        for (Map.Entry<String, String> input : spec.inputs().entrySet()) {
          String in = input.getValue();
          String parent = in.substring(0, in.lastIndexOf('/'));
          refused(spec, output, in, in);
          refused(spec, output, parent, "contains input");
          refused(spec, output, in + "/inside", in);
        }
        boolean directory = spec.outputs().get(output);
        refused(spec, output, root + "/foreign", directory ? "'notes.txt'" : "it is a directory");
        refused(spec, output, root + "/file.txt", directory ? "it is a file"
            : spec.command().equals("export") ? "not an ONNX model" : "not a metrics file");
      }
      // two outputs of one command may not overlap either
      List<String> names = new ArrayList<>(spec.outputs().keySet());
      for (int i = 0; i + 1 < names.size(); i++) {
        String first = root + "/fresh/one";
        refusedWith(spec, Map.of(names.get(i), first, names.get(i + 1), first + "/two"), first, first + "/two");
      }
    }
    return cases;
  }

  /** {@code output} set to {@code target}; the message must name {@code target} and {@code expectedInMessage}. */
  void refused(Spec spec, String output, String target, String expectedInMessage) throws Exception {
    refusedWith(spec, Map.of(output, target), target, expectedInMessage);
  }

  private void refusedWith(Spec spec, Map<String, String> outputs, String target, String expectedInMessage)
      throws Exception {
    for (boolean overwrite : spec.hasOverwrite() ? new boolean[] {false, true} : new boolean[] {false}) {
      List<String> args = new ArrayList<>(List.of(spec.command()));
      for (Map.Entry<String, String> in : spec.inputs().entrySet()) {
        args.addAll(List.of("--" + in.getKey(), in.getValue()));
      }
      int fresh = 0;
      for (Map.Entry<String, Boolean> out : spec.outputs().entrySet()) {
        String value = outputs.get(out.getKey());
        if (value == null) {
          // other outputs: new paths that do not exist, so only the one under test can be refused
          value = root + "/fresh/" + spec.command() + "-" + (fresh++) + (out.getValue() ? "" : ".jsonl");
        }
        args.addAll(List.of("--" + out.getKey(), value));
      }
      if (overwrite) {
        args.add("--overwrite");
      }
      Map<String, String> before = snapshot();
      Map<String, String> confBefore = localSnapshot();
      String stderr = runExpectingBadInput(args);
      String where = String.join(" ", args);
      assertEquals(before, snapshot(), "files changed by the refused run: " + where);
      assertEquals(confBefore, localSnapshot(), "local files changed by the refused run: " + where);
      assertTrue(stderr.contains(target), "the message names " + target + ": " + stderr);
      assertTrue(stderr.contains(expectedInMessage), "the message names " + expectedInMessage + ": " + stderr);
      cases++;
    }
  }

  /** Runs a command line that must exit 2; returns what it printed on stderr. */
  static synchronized String runExpectingBadInput(List<String> args) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      CommandLineTest.run(ExitCode.BAD_INPUT, args.toArray(String[]::new));
    } finally {
      System.setErr(err);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  /** Every file and directory under the root, with a SHA-256 of each file's bytes. */
  Map<String, String> snapshot() throws Exception {
    Map<String, String> out = new TreeMap<>();
    walk(new Path(root), out);
    return out;
  }

  private void walk(Path dir, Map<String, String> out) throws Exception {
    for (FileStatus s : fs.listStatus(dir)) {
      String key = s.getPath().toUri().getPath();
      if (s.isDirectory()) {
        out.put(key + "/", "dir");
        walk(s.getPath(), out);
      } else {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = fs.open(s.getPath())) {
          sha.update(in.readAllBytes());
        }
        out.put(key, HexFormat.of().formatHex(sha.digest()));
      }
    }
  }

  private Map<String, String> localSnapshot() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (var files = Files.walk(localRoot.resolve("conf"))) {
      for (java.nio.file.Path p : files.toList()) {
        out.put(p.toString(), Files.isDirectory(p) ? "dir" : Integer.toHexString(
            java.util.Arrays.hashCode(Files.readAllBytes(p))));
      }
    }
    return out;
  }

  private void write(Path file, String text) throws IOException {
    try (OutputStream out = fs.create(file, false)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
