/**
 * The cluster link: several gateways serve one Skynet channel space over NATS core pub/sub (interest-based
 * subscriptions, a bounded buffer while NATS is away, counters). May import protocol, support and server.
 */
package dev.skynetbridge.server.cluster;
