/**
 * A minimal NATS core client on Vert.x event loops: one connection's handshake (INFO, TLS, CONNECT with user,
 * token or NKey), bounded writes, subscriptions and pings, for the cluster link. May import protocol, support, Vert.x.
 */
package dev.skynetbridge.server.cluster.nats;
