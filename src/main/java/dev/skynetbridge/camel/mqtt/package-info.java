/**
 * The skynet-mqtt: Camel component: the Camel glue around mqtt.MqttLink (endpoint options, consumer, producer, one
 * health check per bridge). May import Camel, dev.skynetbridge.camel and the layers below it.
 */
package dev.skynetbridge.camel.mqtt;
