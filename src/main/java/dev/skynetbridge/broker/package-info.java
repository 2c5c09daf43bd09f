/**
 * The embedded MQTT 5 broker (HiveMQ CE) the gateway runs when no external broker is configured. No Camel: may import
 * protocol and support.
 */
package dev.skynetbridge.broker;
