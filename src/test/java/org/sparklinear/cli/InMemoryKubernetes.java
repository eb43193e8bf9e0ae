package org.sparklinear.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.util.HashMap;

/**
 * An in-memory Kubernetes API server on 127.0.0.1 (fabric8's mock server in CRUD mode: objects are stored, listed,
 * watched and deleted as by a real one) and a client to read back what a submission created.
 */
final class InMemoryKubernetes implements AutoCloseable {
  private final KubernetesMockServer server;
  /** A client on the namespace spark-submit uses by default. */
  final KubernetesClient client;

  InMemoryKubernetes() {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new ServerSideApplyDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient().inNamespace("default"); // where spark-submit creates its objects
  }

  /** The API server's address as spark-submit takes it. */
  String masterUrl() {
    return "k8s://http://127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }

  /**
   * Spark creates the driver's service and config map by server-side apply (a PATCH that creates what is missing),
   * which the CRUD mock answers with 404 or 415: here an apply creates the object, or replaces it when it exists.
   */
  private static final class ServerSideApplyDispatcher extends KubernetesCrudDispatcher {
    @Override
    public MockResponse handlePatch(RecordedRequest request) {
      String contentType = request.getHeader("Content-Type");
      if (contentType == null || !contentType.startsWith("application/apply-patch")) {
        return super.handlePatch(request);
      }
      String path = request.getPath().replaceFirst("\\?.*", "");
      byte[] body = request.getBody().getBytes();
      if (findResource(getKey(path)) != null) {
        return handleUpdate(new RecordedRequest("PUT " + path + " HTTP/1.1", HttpMethod.PUT, path,
            request.getHeaders(), new Buffer(body)));
      }
      String collection = path.substring(0, path.lastIndexOf('/'));
      return handleCreate(new RecordedRequest("POST " + collection + " HTTP/1.1", HttpMethod.POST, collection,
          request.getHeaders(), new Buffer(body)));
    }
  }
}
