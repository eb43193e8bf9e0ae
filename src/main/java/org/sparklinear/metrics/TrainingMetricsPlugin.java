package org.sparklinear.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.sparklinear.train.TrainingListener;

/**
 * Puts the training figures into Spark's metrics system: enabled with
 * {@code spark.plugins=org.sparklinear.metrics.TrainingMetricsPlugin}, it registers {@link TrainingGauges} in the
 * driver's metric registry, under {@code <app>.driver.plugin.org.sparklinear.metrics.TrainingMetricsPlugin.*}, so
 * every sink the cluster configured (the Prometheus servlet on the driver's UI, JMX, Graphite, ...) reports them.
 * Every training run on that driver's context feeds the gauges ({@link #listener}); without the plugin nothing is
 * registered and training is unchanged. Executors run no part of it: the figures are all on the driver.
 */
public final class TrainingMetricsPlugin implements SparkPlugin {
  /** The gauges of each context whose driver loaded the plugin (one at a time in practice: Spark allows one). */
  private static final Map<SparkContext, TrainingGauges> ACTIVE = new ConcurrentHashMap<>();

  /** The listener that feeds the gauges of {@code sc}'s driver, or one that does nothing without the plugin. */
  public static TrainingListener listener(SparkContext sc) {
    TrainingListener gauges = ACTIVE.get(sc);
    return gauges == null ? TrainingListener.NONE : gauges;
  }

  @Override
  public DriverPlugin driverPlugin() {
    return new DriverPlugin() {
      private SparkContext context;

      @Override
      public Map<String, String> init(SparkContext sc, PluginContext pluginContext) {
        context = sc;
        return Map.of();
      }

      @Override
      public void registerMetrics(String appId, PluginContext pluginContext) {
        TrainingGauges gauges = new TrainingGauges();
        gauges.register(pluginContext.metricRegistry());
        ACTIVE.put(context, gauges);
      }

      @Override
      public void shutdown() {
        if (context != null) {
          ACTIVE.remove(context);
        }
      }
    };
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return null;
  }
}
