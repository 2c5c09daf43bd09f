/**
 * The embedded Skynet server (Vert.x): /connect v2 and v1, the hub with its channel index and fan-out, bounded
 * per-connection queues, the v1 log. No Camel: may import protocol and support.
 */
package dev.skynetbridge.server;
