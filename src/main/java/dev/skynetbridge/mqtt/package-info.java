/**
 * One bridge's MQTT connection (MqttLink on the HiveMQ client: outbox, reconnect, subscriptions) and the
 * channel/topic mapping and user properties of the MQTT bridge. No Camel: may import protocol and support.
 */
package dev.skynetbridge.mqtt;
