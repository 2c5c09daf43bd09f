package dev.skynetbridge.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MosquittoBrokerTest extends MqttBrokerContract {

    private MosquittoBroker broker;

    @BeforeAll
    void startMosquitto() {
        MosquittoBroker.assumeAvailable();
        broker = new MosquittoBroker();
        broker.start();
    }

    @AfterAll
    void stopMosquitto() {
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    protected String serverUri() {
        return broker.serverUri();
    }

    @Override
    protected void stopBroker() {
        broker.stop();
    }

    @Override
    protected void startBroker() {
        broker.start();
    }

    @Test
    void neverUsesTheSystemBrokerPort() {
        assertThat(broker.port()).isNotEqualTo(1883);
        assertThat(broker.isRunning()).isTrue();
    }
}
