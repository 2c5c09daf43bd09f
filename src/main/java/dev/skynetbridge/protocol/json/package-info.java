/**
 * Skynet payloads to and from JSON values (Jackson). Pure: may import only the JDK, Jackson and the
 * other dev.skynetbridge.protocol packages.
 */
package dev.skynetbridge.protocol.json;
