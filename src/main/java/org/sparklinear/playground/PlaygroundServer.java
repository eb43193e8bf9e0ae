package org.sparklinear.playground;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Serves the playground page on the loopback address only: a local viewer, not a web server. Every path but
 * {@code /} and {@code /playground.html} is 404, every method but GET and HEAD is 405.
 */
public final class PlaygroundServer implements AutoCloseable {
  private final HttpServer server;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private PlaygroundServer(HttpServer server) {
    this.server = server;
  }

  /** Starts serving {@code page} on 127.0.0.1 at {@code port} (0: any free port). */
  public static PlaygroundServer start(String page, int port) throws IOException {
    byte[] body = page.getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/", exchange -> respond(exchange, body));
    server.start();
    return new PlaygroundServer(server);
  }

  private static void respond(HttpExchange exchange, byte[] body) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      if (!path.equals("/") && !path.equals("/" + PlaygroundPage.FILE_NAME)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      boolean head = method.equals("HEAD");
      exchange.sendResponseHeaders(200, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  /** The address to open in a browser. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  /** Stops serving; again is nothing (an interrupted command and its shutdown hook may both close). */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
    }
  }
}
