/**
 * The bridges built on the components: MQTT, Kafka archive and replay, HTTP webhooks. May import Camel, camel and
 * every layer below it; never app.
 */
package dev.skynetbridge.bridge;
