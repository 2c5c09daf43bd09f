package dev.skynetbridge.rpc;

/** What an {@link RpcServer} hands each call to (the skynet-rpc consumer: it runs the route). */
@FunctionalInterface
public interface RpcRequestHandler {

    /**
     * Handles one call. Runs on a worker thread, so it may block; it must lead to exactly one
     * {@link RpcRequest#reply} (from any thread, now or later).
     */
    void handle(RpcRequest request);
}
