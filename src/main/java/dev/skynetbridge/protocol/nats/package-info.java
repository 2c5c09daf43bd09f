/**
 * NATS core protocol as bytes: an incremental parser of what a server sends (INFO, MSG, PING, PONG, +OK, -ERR), the
 * commands a client writes, and NKey encodings. Pure: may import only the JDK.
 */
package dev.skynetbridge.protocol.nats;
