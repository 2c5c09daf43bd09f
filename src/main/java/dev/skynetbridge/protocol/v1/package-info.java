/**
 * The v1 JSON wire protocol: client requests and server frames. Pure: may import only the JDK, Jackson and the
 * other dev.skynetbridge.protocol packages.
 */
package dev.skynetbridge.protocol.v1;
