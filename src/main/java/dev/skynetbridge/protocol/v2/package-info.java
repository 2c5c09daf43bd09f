/**
 * The v2 CBOR wire protocol: client requests and server frames, byte for byte as the reference server. Pure: may
 * import only the JDK, Jackson and the other protocol packages.
 */
package dev.skynetbridge.protocol.v2;
