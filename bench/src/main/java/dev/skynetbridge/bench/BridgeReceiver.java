package dev.skynetbridge.bench;

/** The far side of the bridge. */
interface BridgeReceiver extends AutoCloseable {

    /** Returns once it receives everything sent from now on. */
    void start() throws Exception;

    @Override
    void close();
}
