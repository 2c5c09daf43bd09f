package dev.skynetbridge.broker;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;

/**
 * Gives the gateway's own bridge clients (client id starting with the bridge prefix) a queue of their own size on the
 * embedded broker, and lets every other client in as before (the embedded broker has no authentication).
 *
 * <p>Why: everything MQTT sends into Skynet passes through the bridge's one subscription, so that subscriber's queue
 * is where a burst waits while the bridge's route catches up (HiveMQ acknowledges a QoS 1 publisher once the message
 * is queued, never slowed by a subscriber). HiveMQ CE has one queue size for all clients in its config; per client
 * it can only be set when the client connects, by an authenticator (the extension SDK's client settings). The
 * queue counts a client's unacknowledged in-flight messages too, so a larger receive window would not add room.
 */
final class BridgeClientQueues implements ExtensionMain, SimpleAuthenticator {

    private final String clientIdPrefix;
    private final long maxQueuedMessages;

    BridgeClientQueues(String clientIdPrefix, long maxQueuedMessages) {
        this.clientIdPrefix = clientIdPrefix;
        this.maxQueuedMessages = maxQueuedMessages;
    }

    /** The embedded extension to hand to HiveMQ's builder. */
    EmbeddedExtension asExtension() {
        return EmbeddedExtension.builder()
                .withId("skynet-bridge-client-queues")
                .withName("skynet-bridge: the bridge's own queue size")
                .withVersion("1")
                .withPriority(0)
                .withStartPriority(1000)
                .withExtensionMain(this)
                .build();
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> this);
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        if (isBridge(input.getConnectPacket().getClientId())) {
            output.getClientSettings().setClientQueueSizeMaximum(maxQueuedMessages);
        }
        // An authenticator decides for every client; no authentication is what the embedded broker offers.
        output.authenticateSuccessfully();
    }

    boolean isBridge(String clientId) {
        return clientId != null && clientId.startsWith(clientIdPrefix);
    }
}
