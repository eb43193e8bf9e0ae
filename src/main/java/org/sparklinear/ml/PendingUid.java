package org.sparklinear.ml;

/**
 * Spark's shared params (featuresCol, labelCol, ...) are created by the Scala superclass constructors, and each asks
 * {@code uid()} at that moment: before a Java subclass has assigned any field. (Scala classes set their
 * {@code uid} constructor parameter before calling super; Java cannot.) The constructors of this package therefore
 * park the uid here, in the arguments of an explicit {@code this(...)} call, and {@code uid()} reads it until the
 * field is set.
 */
final class PendingUid {
  private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

  private PendingUid() {}

  static String park(String uid) {
    PENDING.set(uid);
    return uid;
  }

  static String peek() {
    String uid = PENDING.get();
    if (uid == null) {
      throw new IllegalStateException("uid asked for outside construction");
    }
    return uid;
  }

  static void clear() {
    PENDING.remove();
  }
}
