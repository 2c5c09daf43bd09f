/**
 * skynet-bridge: ComputerCraft's Skynet on the same bus as MQTT, Kafka and HTTP. Layers, each importing only those
 * below it: protocol &lt; support &lt; server, client, rpc, mqtt, broker &lt; camel &lt; bridge &lt; app (see LayeringTest).
 */
package dev.skynetbridge;
