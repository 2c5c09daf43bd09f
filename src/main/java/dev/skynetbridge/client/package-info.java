/**
 * The Skynet websocket client (Vert.x): connect, re-open channels after a reconnect, backoff, v1 or v2. No Camel: may
 * import protocol and support.
 */
package dev.skynetbridge.client;
