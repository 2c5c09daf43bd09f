package dev.skynetbridge.camel.rpc;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.skynetbridge.protocol.rpc.BsonFrameReader;
import dev.skynetbridge.rpc.RpcAddress;
import dev.skynetbridge.rpc.RpcClientOptions;
import dev.skynetbridge.rpc.RpcServerOptions;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** Options of a skynet-rpc endpoint. Each option is declared here once, with its default and meaning. */
@UriParams
public class SkynetRpcConfiguration implements Cloneable {

    /**
     * Producer: the service instances to call, as a comma-separated list of host:port, most preferred first.
     * Connections go to the first address that accepts and answers registered=true and is not in backoff after a
     * failed connect; the pool returns to a preferred address once its backoff has ended and it accepts again.
     */
    @UriParam(label = "producer")
    private String address;

    /** Consumer: the interface to listen on. */
    @UriParam(label = "consumer", defaultValue = "0.0.0.0")
    private String host = "0.0.0.0";

    /** Consumer: the TCP port to listen on; 0 picks a free port (see SkynetRpcConsumer#getActualPort). */
    @UriParam(label = "consumer", defaultValue = "0")
    private int port;

    /**
     * Consumer: the methods this service offers, comma-separated (e.g. Upcase,Echo). Calls to other methods get the
     * RPC-level error the Go service gives (No such method, then the name in double quotes). Empty means every method
     * reaches the route.
     */
    @UriParam(label = "consumer")
    private String methods;

    /**
     * Consumer: the registered flag of the service handshake. false announces a service that will not answer: the
     * handshake is sent and the connection closed, as a Go service does while unregistered.
     */
    @UriParam(label = "consumer,advanced", defaultValue = "true")
    private boolean registered = true;

    /** Consumer: the most client connections served at once; more are closed at once with a log line. */
    @UriParam(label = "consumer,advanced", defaultValue = "100")
    private int maxConnections = 100;

    /**
     * Producer: how long to wait for the response to a call before failing it with ExchangeTimedOutException:
     * milliseconds (30000) or a duration (30s).
     */
    @UriParam(label = "producer", defaultValue = "30000", javaType = "java.time.Duration")
    private long timeout = 30000;

    /**
     * Producer: how long opening a TCP connection and receiving the service handshake may take, per address:
     * milliseconds (10000) or a duration (10s).
     */
    @UriParam(label = "producer", defaultValue = "10000", javaType = "java.time.Duration")
    private long connectTimeout = 10000;

    /**
     * Producer: how long an address is skipped after its first failure, in milliseconds (1000) or a duration (1s);
     * each further failure doubles it (with jitter, 50-100% of the doubled value) up to reconnectMaxDelay. A failure
     * is a failed connect or a connection lost within stableConnectionPeriod; a connection that stays up for
     * stableConnectionPeriod resets it.
     */
    @UriParam(label = "producer", defaultValue = "1000", javaType = "java.time.Duration")
    private long reconnectInitialDelay = 1000;

    /**
     * Producer: the longest backoff between connect attempts to one address: milliseconds (120000) or a duration (2m).
     */
    @UriParam(label = "producer", defaultValue = "120000", javaType = "java.time.Duration")
    private long reconnectMaxDelay = 120000;

    /**
     * Producer: how long a connection must stay up after its handshake to count as working, in milliseconds (10000)
     * or a duration (10s). One lost sooner
     * (closed by the service, e.g. in a crash loop or by a proxy that closes at once, or dropped for malformed data)
     * counts as a failed connect for the address's backoff, so such a service is not reconnected on every call.
     * 0: every completed handshake counts as working.
     */
    @UriParam(label = "producer,advanced", defaultValue = "10000", javaType = "java.time.Duration")
    private long stableConnectionPeriod = 10000;

    /** Producer: connections kept to the service; calls are spread over them round-robin and multiplexed. */
    @UriParam(label = "producer", defaultValue = "2")
    private int poolSize = 2;

    /**
     * Calls pending on one connection at most. Producer: a call beyond it fails at once with
     * RejectedExecutionException. Consumer: reading from that client pauses until a call completes.
     */
    @UriParam(label = "advanced", defaultValue = "256")
    private int maxInFlight = 256;

    /** Largest BSON document accepted from the peer, in bytes; a larger one drops the connection. */
    @UriParam(label = "advanced", defaultValue = "16777216")
    private int maxDocumentSize = BsonFrameReader.DEFAULT_MAX_DOCUMENT_SIZE;

    public SkynetRpcConfiguration copy() {
        try {
            return (SkynetRpcConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    /** The producer addresses, parsed and validated; a bad entry is an IllegalArgumentException naming it. */
    public List<RpcAddress> addressList() {
        return RpcAddress.parseList(address);
    }

    /** The producer's settings for the Camel-free RPC client ({@link dev.skynetbridge.rpc.RpcClientPool}). */
    public RpcClientOptions toClientOptions() {
        return new RpcClientOptions(addressList(), connectTimeout, reconnectInitialDelay, reconnectMaxDelay,
                stableConnectionPeriod, poolSize, maxInFlight, maxDocumentSize);
    }

    /** The consumer's settings for the Camel-free RPC server ({@link dev.skynetbridge.rpc.RpcServer}). */
    public RpcServerOptions toServerOptions() {
        return new RpcServerOptions(host, port, methodSet(), registered, maxConnections, maxInFlight, maxDocumentSize);
    }

    /** Checks the options that only make sense together; an IllegalArgumentException names them. */
    void validate() {
        addressList();
        if (reconnectInitialDelay > reconnectMaxDelay) {
            throw new IllegalArgumentException("reconnectInitialDelay=" + reconnectInitialDelay
                    + " must not exceed reconnectMaxDelay=" + reconnectMaxDelay);
        }
    }

    /** The consumer's method filter; empty means all methods. */
    public Set<String> methodSet() {
        Set<String> set = new LinkedHashSet<>();
        if (methods != null) {
            Arrays.stream(methods.split(",")).map(String::trim).filter(m -> !m.isEmpty()).forEach(set::add);
        }
        return set;
    }

    public String getAddress() {
        return address;
    }

    public void setAddress(String address) {
        this.address = address;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535 but is " + port);
        }
        this.port = port;
    }

    public String getMethods() {
        return methods;
    }

    public void setMethods(String methods) {
        this.methods = methods;
    }

    public boolean isRegistered() {
        return registered;
    }

    public void setRegistered(boolean registered) {
        this.registered = registered;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        requirePositive("maxConnections", maxConnections);
        this.maxConnections = maxConnections;
    }

    public long getTimeout() {
        return timeout;
    }

    public void setTimeout(long timeout) {
        requirePositive("timeout", timeout);
        this.timeout = timeout;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(long connectTimeout) {
        requirePositive("connectTimeout", connectTimeout);
        this.connectTimeout = connectTimeout;
    }

    public long getReconnectInitialDelay() {
        return reconnectInitialDelay;
    }

    public void setReconnectInitialDelay(long reconnectInitialDelay) {
        requirePositive("reconnectInitialDelay", reconnectInitialDelay);
        this.reconnectInitialDelay = reconnectInitialDelay;
    }

    public long getReconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    public void setReconnectMaxDelay(long reconnectMaxDelay) {
        requirePositive("reconnectMaxDelay", reconnectMaxDelay);
        this.reconnectMaxDelay = reconnectMaxDelay;
    }

    public long getStableConnectionPeriod() {
        return stableConnectionPeriod;
    }

    public void setStableConnectionPeriod(long stableConnectionPeriod) {
        if (stableConnectionPeriod < 0) {
            throw new IllegalArgumentException("stableConnectionPeriod must be 0 or more but is "
                    + stableConnectionPeriod);
        }
        this.stableConnectionPeriod = stableConnectionPeriod;
    }

    public int getPoolSize() {
        return poolSize;
    }

    public void setPoolSize(int poolSize) {
        requirePositive("poolSize", poolSize);
        this.poolSize = poolSize;
    }

    public int getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(int maxInFlight) {
        requirePositive("maxInFlight", maxInFlight);
        this.maxInFlight = maxInFlight;
    }

    public int getMaxDocumentSize() {
        return maxDocumentSize;
    }

    public void setMaxDocumentSize(int maxDocumentSize) {
        if (maxDocumentSize < BsonFrameReader.MIN_DOCUMENT_SIZE) {
            throw new IllegalArgumentException("maxDocumentSize must be at least " + BsonFrameReader.MIN_DOCUMENT_SIZE
                    + " bytes but is " + maxDocumentSize);
        }
        this.maxDocumentSize = maxDocumentSize;
    }

    private static void requirePositive(String option, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(option + " must be positive but is " + value);
        }
    }
}
