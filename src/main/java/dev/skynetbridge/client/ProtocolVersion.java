package dev.skynetbridge.client;

/** Which Skynet dialect a remote server speaks. */
public enum ProtocolVersion {
    /** CBOR over websocket (osmarks/skynet, the current one). */
    V2,
    /** JSON over websocket (the 2018 Node server). */
    V1
}
