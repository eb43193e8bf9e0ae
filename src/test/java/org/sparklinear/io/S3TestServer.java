package org.sparklinear.io;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.Assumptions;

/**
 * A real S3-compatible server on 127.0.0.1 for the s3a:// tests, with the {@code fs.s3a.*} settings a client needs
 * to reach it (the same keys as the commented block in conf/spark-defaults.conf). Two kinds: S3Proxy, embedded in
 * the test JVM (it ignores {@code If-None-Match} and {@code If-Match} on PUT, so it is the
 * store that cannot guard a registry), and moto's server, a separate process (it honours both).
 */
public abstract class S3TestServer implements AutoCloseable {
  /** The credentials the servers accept; S3A finds them in the environment, as on a real deployment. */
  public static final String ACCESS_KEY = envOr("AWS_ACCESS_KEY_ID", "slc-test-access");
  public static final String SECRET_KEY = envOr("AWS_SECRET_ACCESS_KEY", "slc-test-secret");

  private final String bucket;
  private final int port;
  private final Map<String, String> quirks;

  /** {@code quirks}: client settings this server needs beyond the usual third-party ones. */
  S3TestServer(String bucket, int port, Map<String, String> quirks) {
    this.bucket = bucket;
    this.port = port;
    this.quirks = quirks;
  }

  /**
   * S3Proxy with jclouds' in-memory backend, and {@code bucket} created. Not the filesystem backends: jclouds'
   * {@code filesystem} keeps a folder whose objects were all deleted as a visible prefix, and S3Proxy's
   * {@code filesystem-nio2} answers a HEAD of {@code dir} with the marker {@code dir/}; real S3 does neither.
   */
  public static S3TestServer s3proxy(String bucket) throws Exception {
    BlobStoreContext context = ContextBuilder.newBuilder("transient").build(BlobStoreContext.class);
    context.getBlobStore().createContainerInLocation(null, bucket);
    S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:" + freePort()))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
    proxy.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!proxy.getState().equals("STARTED")) {
      if (System.nanoTime() > deadline) {
        proxy.stop();
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.sleep(20);
    }
    // S3Proxy 2.7 answers 501 to the checksum header the AWS SDK puts on a bulk delete: delete one by one
    return new S3TestServer(bucket, proxy.getPort(), Map.of("fs.s3a.multiobjectdelete.enable", "false")) {
      @Override
      public void close() throws Exception {
        proxy.stop();
        context.close();
      }
    };
  }

  /**
   * moto's S3 server ({@code moto_server}, from the {@code moto[server]} pip package) in its own process, with
   * {@code bucket} created; the test is skipped with a message when moto_server is not installed.
   */
  public static S3TestServer moto(Path logDir, String bucket) throws Exception {
    Assumptions.assumeTrue(findOnPath("moto_server") != null, "SKIPPED: moto_server is not installed (pip install"
        + " 'moto[server]'); the registry-on-S3 tests need a server that honours conditional writes");
    int port = freePort();
    File log = logDir.resolve("moto.log").toFile();
    // moto_server's main, with its development server answering one request at a time: threaded, it checks a PUT's
    // If-None-Match and then writes, so two of the registry test's racing creates could both succeed (seen under
    // load), which S3 itself never lets happen. The python3 that pip installed moto_server for.
    String serve = "import sys, moto.server as s\n"
        + "run = s.run_simple\n"
        + "s.run_simple = lambda *a, **k: run(*a, **{**k, 'threaded': False})\n"
        + "s.main(sys.argv[1:])\n";
    Process process = new ProcessBuilder("python3", "-c", serve, "-H", "127.0.0.1", "-p", String.valueOf(port))
        .redirectErrorStream(true).redirectOutput(log).start();
    // moto's server does not answer "Expect: 100-continue" the way the AWS SDK waits for
    S3TestServer server = new S3TestServer(bucket, port, Map.of("fs.s3a.connection.expect.continue", "false")) {
      @Override
      public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    };
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!server.createBucket()) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("moto_server did not start on port " + port + "; see " + log);
        }
        Thread.sleep(100);
      }
    } catch (Exception e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** moto accepts unsigned requests: PUT /bucket creates it. False while the server is not up yet. */
  private boolean createBucket() {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/" + bucket).toURL().openConnection();
      c.setRequestMethod("PUT");
      c.setConnectTimeout(1000);
      int code = c.getResponseCode();
      c.disconnect();
      return code == 200;
    } catch (IOException e) {
      return false;
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code s3a://bucket/path}. */
  public String uri(String path) {
    return "s3a://" + bucket + "/" + path;
  }

  public org.apache.hadoop.fs.Path path(String key) {
    return new org.apache.hadoop.fs.Path(uri(key));
  }

  /** The names in a folder of the bucket, sorted. */
  public java.util.List<String> names(FileSystem fs, String dir) throws IOException {
    return java.util.Arrays.stream(fs.listStatus(path(dir))).map(st -> st.getPath().getName()).sorted().toList();
  }

  /** A test class's teardown: undoes {@link #applyToSpark}, closes its file system, stops the server. */
  public static void stop(S3TestServer s3, FileSystem fs) throws Exception {
    if (s3 != null) {
      s3.clearSparkSettings();
      if (fs != null) {
        fs.close();
      }
      s3.close();
    }
  }

  /** The Hadoop settings for this server: what conf/spark-defaults.conf's S3 block sets for a third-party store. */
  public Map<String, String> hadoopSettings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("fs.s3a.endpoint", endpoint());
    s.put("fs.s3a.endpoint.region", "us-east-1");
    s.put("fs.s3a.path.style.access", "true");
    s.put("fs.s3a.connection.ssl.enabled", "false");
    if (System.getenv("AWS_ACCESS_KEY_ID") == null) {
      // an IDE run without Surefire's environment: the same credentials, given explicitly
      s.put("fs.s3a.access.key", ACCESS_KEY);
      s.put("fs.s3a.secret.key", SECRET_KEY);
    }
    s.put("fs.s3a.attempts.maximum", "2"); // a broken test fails in seconds, not after minutes of retries
    s.put("fs.s3a.retry.limit", "2");
    s.putAll(quirks);
    return s;
  }

  public Configuration hadoopConf() {
    Configuration conf = new Configuration();
    hadoopSettings().forEach(conf::set);
    return conf;
  }

  /**
   * Copies a local file or folder to {@code key} through {@code fs}'s ordinary output streams (S3A's own
   * copyFromLocalFile uploads a file in a way moto's development server answers with a bare "100 Continue").
   */
  public void upload(FileSystem fs, Path local, String key) throws IOException {
    if (Files.isDirectory(local)) {
      try (var children = Files.list(local)) {
        for (Path child : children.toList()) {
          upload(fs, child, key + "/" + child.getFileName());
        }
      }
      return;
    }
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(uri(key)), true)) {
      Files.copy(local, out);
    }
  }

  /** Makes every SparkConf (so every command run in this JVM) use this server, until {@link #clearSparkSettings}. */
  public void applyToSpark() {
    hadoopSettings().forEach((k, v) -> System.setProperty("spark.hadoop." + k, v));
  }

  public void clearSparkSettings() {
    hadoopSettings().keySet().forEach(k -> System.clearProperty("spark.hadoop." + k));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String findOnPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, name);
      if (f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    return null;
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isEmpty() ? fallback : v;
  }
}
