/**
 * The gateway's Prometheus meters: one list of every meter ({@link dev.skynetbridge.app.metrics.GatewayMeter}) and
 * one binder per source that reads the plain counters of the lower layers lazily. Part of the app layer: may import
 * everything, and is the only place that knows Micrometer.
 */
package dev.skynetbridge.app.metrics;
