package org.sparklinear.registry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a registry knows about one version, as stored in its {@code version.json}: the run that made it, the version
 * it was compared with, the decision and everything else (metrics, data provenance, configuration, code version).
 *
 * @param parent the version that was CURRENT when the run started, or null for the first one
 * @param promote whether the run decided to make this version CURRENT
 * @param details the whole JSON object, including the fields above
 */
public record VersionRecord(String version, String runId, String parent, boolean promote, String reason,
    Map<String, Object> details) {

  public VersionRecord {
    details = Map.copyOf(details);
  }

  static VersionRecord fromJson(String version, Map<String, Object> json) {
    Object parent = json.get("parent");
    return new VersionRecord(version, String.valueOf(json.get("runId")), parent == null ? null : parent.toString(),
        "promote".equals(json.get("decision")), String.valueOf(json.get("reason")), withoutNulls(json));
  }

  /** The JSON object to store: the given details plus the identifying fields. */
  static Map<String, Object> toJson(String version, String runId, String parent, boolean promote, String reason,
      Map<String, Object> details) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("version", version);
    json.put("runId", runId);
    json.put("parent", parent);
    json.put("decision", promote ? "promote" : "keep");
    json.put("reason", reason);
    json.putAll(details);
    return json;
  }

  private static Map<String, Object> withoutNulls(Map<String, Object> json) {
    Map<String, Object> m = new LinkedHashMap<>();
    json.forEach((k, v) -> {
      if (v != null) {
        m.put(k, v);
      }
    });
    return m;
  }
}
