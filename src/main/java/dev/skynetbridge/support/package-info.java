/**
 * Small shared pieces with no home of their own: reconnect backoff, channel listener sets. May import only the JDK,
 * logging and dev.skynetbridge.protocol.
 */
package dev.skynetbridge.support;
