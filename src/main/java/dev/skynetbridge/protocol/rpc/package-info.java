/**
 * The skynet RPC wire format (Go skynetservices/skynet): BSON documents, handshakes, request and response pairs,
 * frame splitting. Pure: may import only the JDK, BSON and the other protocol packages.
 */
package dev.skynetbridge.protocol.rpc;
