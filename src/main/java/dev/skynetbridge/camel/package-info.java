/**
 * The skynet: Camel component, the one mapping between an Exchange and a SkynetMessage, type converters and the
 * readiness checks' naming scheme. May import Camel and every layer below: protocol, support, server, client, rpc,
 * mqtt, broker.
 */
package dev.skynetbridge.camel;
