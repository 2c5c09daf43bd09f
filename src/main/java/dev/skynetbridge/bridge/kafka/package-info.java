/**
 * The Kafka archive and replay of Skynet traffic: record format, send window, reachability, where a replay starts. May
 * import Camel, Kafka, camel and the layers below it; never app.
 */
package dev.skynetbridge.bridge.kafka;
