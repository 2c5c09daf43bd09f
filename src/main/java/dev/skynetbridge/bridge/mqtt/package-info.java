/**
 * The Skynet-MQTT bridge over skynet: and skynet-mqtt: (both directions or one). May import Camel, camel and the
 * layers below it; never app.
 */
package dev.skynetbridge.bridge.mqtt;
