package dev.skynetbridge.bench;

/**
 * The sending side of a {@link BridgeLoadRun}: websocket publishers into the gateway's Skynet server, or an
 * MQTT publisher into a broker the gateway's bridge reads. Every message carries the payload of
 * {@link BridgeLoadTool#payload} with a sequence number from the run's {@link BridgeLoadTally}.
 */
interface LoadPublishers extends AutoCloseable {

    /** Connects every publisher; returns once they can send. */
    void connect() throws Exception;

    /** Sends the {@code n}-th readiness probe (publisher {@link BridgeLoadTally#PROBE_PUBLISHER}, never counted). */
    void probe(long n) throws Exception;

    /** Starts sending at the settings' rate (or as fast as the window allows). */
    void start();

    /** Stops sending; what is in flight may still arrive. */
    void stop();

    /** Messages sent so far, every publisher together. */
    long totalSent();

    /** Messages the receivers of {@code stream} should have by now (see {@link BridgeLoadTally}). */
    long sentToStream(int stream);

    /** Deliveries expected for everything sent so far: each message times the receivers that read it. */
    long expectedArrivals();

    /** Messages a publisher could not send (the broker refused them): counted, not expected to arrive. */
    long failed();

    @Override
    void close();
}
