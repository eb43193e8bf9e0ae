package org.sparklinear.data;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * A Hadoop {@link Configuration} that travels to executors, so tasks open the same file systems as the driver.
 *
 * <p>It travels as a broadcast: a configuration serialises to about 100 KB, and whatever a reader's closures capture
 * is serialised again into every task of every later job over the cached data (a training step included), since
 * Spark ships an RDD's whole lineage with each stage. The broadcast is cleaned up with the last RDD that uses it.
 */
public final class HadoopConf implements Serializable {
  private static final long serialVersionUID = 2L;
  private final Broadcast<Payload> shared;
  private transient Configuration conf;

  public HadoopConf(JavaSparkContext sc, Configuration conf) {
    this.conf = conf;
    this.shared = sc.broadcast(new Payload(conf));
  }

  public Configuration get() {
    if (conf == null) {
      conf = shared.value().conf;
    }
    return conf;
  }

  /** The configuration's own Writable form, as Java serialisation. */
  private static final class Payload implements Serializable {
    private static final long serialVersionUID = 1L;
    private transient Configuration conf;

    Payload(Configuration conf) {
      this.conf = conf;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
      out.defaultWriteObject();
      conf.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      conf = new Configuration(false);
      conf.readFields(in);
    }
  }
}
