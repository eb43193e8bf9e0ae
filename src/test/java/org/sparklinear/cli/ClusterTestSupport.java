package org.sparklinear.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.sparklinear.TestSupport;

/**
 * A Spark home made from the jars Maven resolved, for the cluster tests: Maven Central has no Spark distribution.
 */
final class ClusterTestSupport {
  private ClusterTestSupport() {}

  /** {@code $SPARK_HOME/jars} as links to the build's jars: workers launch executors from it, nothing is copied. */
  static void linkSparkJars() throws IOException {
    Path jars = Path.of(System.getenv("SPARK_HOME"), "jars");
    Files.createDirectories(jars);
    java.util.List<String> classpath = java.util.List.of(Files.readString(TestSupport.projectDir()
        .resolve("target/classpath.txt")).trim().split(":"));
    java.util.Set<Path> current = new java.util.HashSet<>();
    classpath.forEach(jar -> current.add(Path.of(jar).getFileName()));
    try (var links = Files.list(jars)) {
      // links left by a build of other versions (an older lz4-java next to the new one breaks executors)
      // only links: SPARK_HOME may name a real installation, whose jars are files and never ours to delete
      for (Path stale : links.filter(l -> Files.isSymbolicLink(l) && !current.contains(l.getFileName())).toList()) {
        Files.deleteIfExists(stale);
      }
    }
    for (String jar : classpath) {
      Path link = jars.resolve(Path.of(jar).getFileName());
      if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        try {
          Files.createSymbolicLink(link, Path.of(jar));
        } catch (java.nio.file.FileAlreadyExistsException e) {
          // another IT class, running at the same time in another JVM, linked it first
        }
      }
    }
  }

  /**
   * A folder usable as {@code SPARK_HOME} whose {@code bin/spark-submit} runs Spark's own SparkSubmit class. Like
   * Spark's launcher, in client deploy mode it starts that JVM (the driver) with the driver's Java options
   * ({@code spark.driver.defaultJavaOptions}, then {@code --driver-java-options} or
   * {@code spark.driver.extraJavaOptions}): the tests' drivers then run {@link TestSupport#SMALL_DATA_JIT} as their
   * executors do, and the job's logging setup from {@code submit/cluster.sh}.
   */
  static Path sparkSubmitHome(Path dir) throws IOException {
    Path project = TestSupport.projectDir();
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path submit = bin.resolve("spark-submit");
    // like Spark's own launcher, the cluster's client configuration directories go on the class path
    Files.writeString(submit, "#!/usr/bin/env bash\ncp=\"$(cat '" + project.resolve("target/classpath.txt") + "')\"\n"
        + "for dir in \"${HADOOP_CONF_DIR:-}\" \"${YARN_CONF_DIR:-}\"; do [ -n \"$dir\" ] && cp=\"$cp:$dir\"; done\n"
        + "client=true default_opts='' flag_opts='' conf_opts='' prev=''\n"
        + "for arg in \"$@\"; do\n"
        + "  case \"$prev\" in\n"
        + "    --deploy-mode) [ \"$arg\" = cluster ] && client=false ;;\n"
        + "    --driver-java-options) flag_opts=$arg ;;\n"
        + "    --conf) case \"$arg\" in\n"
        + "        spark.driver.defaultJavaOptions=*) default_opts=${arg#*=} ;;\n"
        + "        spark.driver.extraJavaOptions=*) conf_opts=${arg#*=} ;;\n"
        + "      esac ;;\n"
        + "  esac\n"
        + "  prev=$arg\n"
        + "done\n"
        + "driver_opts=''\n"
        + "if $client; then driver_opts=\"$default_opts ${flag_opts:-$conf_opts}\"; fi\n"
        + "exec java $(cat '" + project.resolve("target/jvm-options.txt") + "') $driver_opts -cp \"$cp\""
        + " org.apache.spark.deploy.SparkSubmit \"$@\"\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  /**
   * A folder usable as {@code SPARK_HOME} whose {@code bin/spark-submit} only records its arguments (each ended by a
   * NUL byte) in {@code argv} there: what a submit script hands spark-submit, for a test to run in-process.
   */
  static Path argvRecordingHome(Path dir) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path submit = bin.resolve("spark-submit");
    Files.writeString(submit, "#!/usr/bin/env bash\nprintf '%s\\0' \"$@\" > '" + dir.resolve("argv") + "'\n",
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }
}
