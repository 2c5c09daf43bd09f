/**
 * Load tools and benchmarks (their own Maven module, not in the product jar): ServerLoadTool for the embedded Skynet
 * server, BridgeLoadTool for the bridges, KafkaArchiveBench. May import anything of the product.
 */
package dev.skynetbridge.bench;
