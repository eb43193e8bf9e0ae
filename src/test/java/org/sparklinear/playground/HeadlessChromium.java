package org.sparklinear.playground;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's Chromium, headless, driven over the Chrome DevTools Protocol with the JDK's own WebSocket client: no
 * browser driver to install. One page; evaluate script in it, click with real mouse events, take screenshots, and
 * collect what the page reports as errors (uncaught exceptions, console errors, failed loads).
 */
final class HeadlessChromium implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/chromium");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());

  private HeadlessChromium(Process process, WebSocket.Builder builder, URI page) {
    this.process = process;
    this.socket = builder.buildAsync(page, new Listener()).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
  }

  /**
   * Starts Chromium with its profile in {@code profile}; where /usr/bin/chromium is absent, the calling test is
   * reported skipped (a JUnit assumption), never passed.
   */
  static HeadlessChromium startOrSkip(Path profile, String what) throws Exception {
    String missing = "SKIPPED " + what + ": /usr/bin/chromium is absent (.ci/run installs it)";
    if (!Files.isExecutable(BINARY)) {
      System.err.println(missing);
    }
    assumeTrue(Files.isExecutable(BINARY), missing);
    Files.createDirectories(profile);
    Process process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--no-first-run", "--remote-debugging-port=0", "--user-data-dir=" + profile,
        "about:blank").redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
    try {
      Path portFile = profile.resolve("DevToolsActivePort");
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).size() < 2) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("chromium did not open its DevTools port: "
              + Files.readString(profile.resolve("chromium.log")));
        }
        Thread.sleep(20);
      }
      int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
      HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
      JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/json/list")).timeout(TIMEOUT).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      for (JsonNode target : targets) {
        if (target.path("type").asText().equals("page")) {
          HeadlessChromium chromium = new HeadlessChromium(process, http.newWebSocketBuilder(),
              URI.create(target.get("webSocketDebuggerUrl").asText()));
          chromium.send("Runtime.enable", Map.of());
          chromium.send("Log.enable", Map.of());
          chromium.send("Page.enable", Map.of());
          return chromium;
        }
      }
      throw new IllegalStateException("chromium has no page target: " + targets);
    } catch (Exception | Error e) {
      stop(process);
      throw e;
    }
  }

  /** Sends one DevTools command and waits for its result. */
  JsonNode send(String method, Map<String, ?> params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", JSON.valueToTree(params));
    socket.sendText(message.toString(), true).join();
    JsonNode answer = reply.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    if (answer.has("error")) {
      throw new IllegalStateException(method + " failed: " + answer.get("error"));
    }
    return answer.path("result");
  }

  /** The value of a script expression (awaited if it is a promise); a script error fails the test. */
  JsonNode evaluate(String expression) {
    JsonNode result = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
        "awaitPromise", true));
    if (result.has("exceptionDetails")) {
      throw new AssertionError("script failed: " + expression + "\n" + result.get("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /** Opens {@code url} in a viewport of the given CSS size and waits until the page has loaded. */
  void open(String url, int width, int height) throws InterruptedException {
    resize(width, height);
    send("Page.navigate", Map.of("url", url));
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!evaluate("document.readyState").asText().equals("complete")) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(url + " did not finish loading");
      }
      Thread.sleep(10);
    }
  }

  void resize(int width, int height) {
    send("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1,
        "mobile", false));
  }

  /** A left click at viewport coordinates, as a mouse does it: moved there, pressed, released. */
  void click(double x, double y, boolean shift) {
    int modifiers = shift ? 8 : 0;
    send("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y, "modifiers", modifiers));
    for (String type : List.of("mousePressed", "mouseReleased")) {
      send("Input.dispatchMouseEvent", Map.of("type", type, "x", x, "y", y, "button", "left", "clickCount", 1,
          "modifiers", modifiers));
    }
  }

  /** A key pressed and released in the focused element, e.g. {@code a} or {@code Delete}. */
  void press(String key, int keyCode) {
    for (String type : List.of("keyDown", "keyUp")) {
      send("Input.dispatchKeyEvent", Map.of("type", type, "key", key, "code", key.length() == 1
          ? "Key" + key.toUpperCase(java.util.Locale.ROOT) : key, "windowsVirtualKeyCode", keyCode));
    }
  }

  /** Clicks the middle of the element {@code selector} names, scrolled into view first. */
  void click(String selector) {
    JsonNode centre = evaluate("(() => { const e = document.querySelector(" + JSON.valueToTree(selector)
        + "); e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
        + " return [r.left + r.width / 2, r.top + r.height / 2]; })()");
    click(centre.get(0).asDouble(), centre.get(1).asDouble(), false);
  }

  /** A PNG of the viewport, or of the whole page when {@code fullPage}. */
  byte[] screenshot(boolean fullPage) {
    return Base64.getDecoder().decode(send("Page.captureScreenshot", Map.of("format", "png",
        "captureBeyondViewport", fullPage)).get("data").asText());
  }

  /** Uncaught exceptions, console errors and failed loads the page reported so far. */
  List<String> problems() {
    synchronized (problems) {
      return List.copyOf(problems);
    }
  }

  @Override
  public void close() {
    socket.abort();
    stop(process);
  }

  private static void stop(Process process) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          receive(JSON.readTree(text));
        } catch (IOException e) {
          problems.add("unreadable DevTools message: " + e.getMessage());
        }
      }
      webSocket.request(1);
      return null;
    }

    private void receive(JsonNode message) {
      if (message.has("id")) {
        CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
        if (reply != null) {
          reply.complete(message);
        }
        return;
      }
      JsonNode params = message.path("params");
      switch (message.path("method").asText()) {
        case "Runtime.exceptionThrown" -> problems.add("exception: " + params.path("exceptionDetails"));
        case "Runtime.consoleAPICalled" -> {
          if (params.path("type").asText().equals("error") || params.path("type").asText().equals("assert")) {
            problems.add("console." + params.path("type").asText() + ": " + params.path("args"));
          }
        }
        case "Log.entryAdded" -> {
          if (params.path("entry").path("level").asText().equals("error")) {
            problems.add("log: " + params.path("entry").path("text").asText() + " "
                + params.path("entry").path("url").asText());
          }
        }
        default -> { }
      }
    }
  }
}
