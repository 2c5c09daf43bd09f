/**
 * Home Assistant MQTT discovery from config/homeassistant.yaml: the file's parser, the discovery messages, what was
 * published (to delete removed entities) and the publisher on an MQTT bridge's link. May import Camel, camel and the
 * layers below it; never app.
 */
package dev.skynetbridge.bridge.homeassistant;
