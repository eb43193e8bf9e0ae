package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.playground.PlaygroundPage;
import org.sparklinear.playground.PlaygroundServer;

/** {@code playground}: one self-contained page written whole, never over something else; served on loopback only. */
class PlaygroundCommandTest {
  @TempDir Path tmp;

  @Test
  void writesOneSelfContainedPageAndReplacesOnlyItsOwn() throws Exception {
    Path out = tmp.resolve("site");
    CommandLineTest.run(0, "playground", "--out", out.toString());
    try (var files = Files.list(out)) {
      assertEquals(java.util.List.of(out.resolve(PlaygroundPage.FILE_NAME)), files.toList(), "one file, no leftovers");
    }
    String html = Files.readString(out.resolve(PlaygroundPage.FILE_NAME));
    assertTrue(html.contains(PlaygroundPage.GENERATOR) && html.contains("PlaygroundMath")
        && html.contains("#plane"), "the page with its script and styles inlined");
    assertFalse(html.contains("@inline"), "every inline marker is replaced");
    assertFalse(Pattern.compile("(src|href)=\"(?!data:)").matcher(html).find(), "nothing is fetched");
    assertFalse(html.contains("http://") || html.contains("https://"), "no network address");

    CommandLineTest.run(2, "playground", "--out", out.toString());
    CommandLineTest.run(0, "playground", "--out", out.toString(), "--overwrite");
    Path foreign = tmp.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve(PlaygroundPage.FILE_NAME), "<html>someone's page</html>");
    CommandLineTest.run(2, "playground", "--out", foreign.toString(), "--overwrite");
    assertEquals("<html>someone's page</html>", Files.readString(foreign.resolve(PlaygroundPage.FILE_NAME)));
    CommandLineTest.run(2, "playground", "--serve", "--out", out.toString());
    CommandLineTest.run(2, "playground", "--port", "9000");
  }

  @Test
  void servesThePageOnLoopbackOnly() throws Exception {
    try (PlaygroundServer server = PlaygroundServer.start(PlaygroundPage.html(), 0)) {
      assertTrue(server.url().startsWith("http://127.0.0.1:"), server.url());
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(server.url())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode());
      assertEquals(PlaygroundPage.html(), page.body());
      assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
      assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(server.url() + "etc/passwd")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode());
      assertEquals(405, http.send(HttpRequest.newBuilder(URI.create(server.url()))
          .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode());
    }
  }
}
