/**
 * The cluster link's wire: the NATS subject of each channel and the envelope a message travels in between gateways.
 * Pure: may import only the JDK and the other protocol packages.
 */
package dev.skynetbridge.protocol.cluster;
