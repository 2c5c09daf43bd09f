package dev.skynetbridge.server;

import dev.skynetbridge.protocol.Channel;

/**
 * The link to the other gateways of a cluster. Called on publishers' threads and under the hub's index lock:
 * it must hand off, never block.
 */
public interface ClusterPort {
    ClusterPort NONE = new ClusterPort() {
        @Override
        public void forward(Delivery delivery) {
        }

        @Override
        public void interestStarted(Channel channel) {
        }

        @Override
        public void interestEnded(Channel channel) {
        }
    };

    /** A message that entered on this node, stamped: for the other nodes. */
    void forward(Delivery delivery);

    /** The first local member that takes cluster messages opened this channel ({@code "*"} included). */
    void interestStarted(Channel channel);

    /** The last such member closed it. */
    void interestEnded(Channel channel);
}
