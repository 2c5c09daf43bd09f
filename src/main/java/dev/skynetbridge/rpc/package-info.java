/**
 * The skynet RPC TCP client (RpcClientPool) and service (RpcServer) on Vert.x: the counterparts of client and
 * server for Go's skynet RPC. No Camel: may import protocol and support.
 */
package dev.skynetbridge.rpc;
