/**
 * The gateway application (Camel Main): settings, start-up, the validate command, embedded services. The top layer:
 * may import everything.
 */
package dev.skynetbridge.app;
