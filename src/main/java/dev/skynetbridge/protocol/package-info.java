/**
 * The Skynet model and its pure codecs: Channel, SkynetMessage, time and ids. No I/O, no threads, no Camel: bytes in,
 * values out. May import only the JDK, Jackson and BSON (and its own subpackages).
 */
package dev.skynetbridge.protocol;
