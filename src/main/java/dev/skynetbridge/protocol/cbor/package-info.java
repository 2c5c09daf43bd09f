/**
 * CBOR reading and writing on Jackson's streaming parser and generator, wire constants in one place. Pure: may import
 * only the JDK, Jackson and the other protocol packages.
 */
package dev.skynetbridge.protocol.cbor;
