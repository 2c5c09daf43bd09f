/**
 * The skynet-rpc: Camel component: options, exchanges, headers and exceptions around the Camel-free rpc package. May
 * import Camel, dev.skynetbridge.camel and the layers below it.
 */
package dev.skynetbridge.camel.rpc;
