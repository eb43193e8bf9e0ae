package org.sparklinear.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.playground.PlaygroundPage;
import org.sparklinear.playground.PlaygroundServer;

/**
 * {@code playground}: the lecture notes' interactive demo of linear classifiers in the plane, as one self-contained
 * HTML file ({@code --out DIR}) or served on 127.0.0.1 ({@code --serve}). No Spark.
 */
final class PlaygroundCommand implements Command {
  private static final Logger LOG = LoggerFactory.getLogger(PlaygroundCommand.class);

  @Override
  public String name() {
    return "playground";
  }

  @Override
  public String summary() {
    return "write the interactive page of the losses on points in the plane (playground.html), or --serve it";
  }

  @Override
  public List<String> options() {
    return List.of("out", "overwrite", "serve", "port");
  }

  @Override
  public int run(Options options) throws Exception {
    String page = PlaygroundPage.html();
    if (options.flag("serve")) {
      if (options.isSet("out")) {
        throw new UsageException("playground: --serve and --out exclude each other (serve the page, or write it)");
      }
      serve(page, options.integer("port"));
      return ExitCode.OK;
    }
    if (options.isSet("port")) {
      throw new UsageException("playground: --port only applies with --serve");
    }
    String out = options.optional("out");
    write(page, Path.of(out == null ? "." : out), options.flag("overwrite"));
    return ExitCode.OK;
  }

  /** Writes {@code DIR/playground.html} whole or not at all; an existing one only if it is ours and with overwrite. */
  private static void write(String page, Path dir, boolean overwrite) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UsageException("--out " + dir + " is a file; playground writes " + PlaygroundPage.FILE_NAME
          + " into a directory");
    }
    Path target = dir.resolve(PlaygroundPage.FILE_NAME);
    if (Files.exists(target)) {
      if (!isPlayground(target)) {
        throw new UsageException(target + " exists and is not a playground page this job wrote; it is left alone");
      }
      if (!overwrite) {
        throw new UsageException(target + " exists; add --overwrite to replace it");
      }
    }
    Files.createDirectories(dir);
    // a fresh name beside the target, created with the user's usual permissions (createTempFile's are owner-only)
    Path staging = dir.resolve(".playground-" + java.util.UUID.randomUUID() + ".tmp");
    try {
      Files.writeString(staging, page, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
      Files.move(staging, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(staging);
    }
    LOG.info("wrote the playground to {} ({} KB, self-contained): open it in a browser", target.toAbsolutePath(),
        (page.length() + 1023) / 1024);
  }

  private static boolean isPlayground(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readNBytes(4096), StandardCharsets.UTF_8).contains(PlaygroundPage.GENERATOR);
    }
  }

  private static void serve(String page, int port) throws IOException, InterruptedException {
    if (port < 0 || port > 65535) {
      throw new UsageException("--port must be between 0 and 65535, got " + port);
    }
    PlaygroundServer server;
    try {
      server = PlaygroundServer.start(page, port);
    } catch (BindException e) {
      throw new UsageException("--port " + port + ": cannot listen on 127.0.0.1 (" + e.getMessage()
          + "); choose another port, or 0 for any free one");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "playground-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    LOG.info("serving the playground at {} (127.0.0.1 only) until interrupted (Ctrl-C)", server.url());
    try {
      stopped.await();
    } finally {
      server.close();
    }
  }
}
