package dev.skynetbridge.camel.rpc;

import org.apache.camel.spi.Metadata;

/** Exchange header names of the skynet-rpc component. */
public final class SkynetRpcConstants {

    @Metadata(label = "common", javaType = "String",
              description = "The service method called, e.g. Upcase. Producer: overrides the method of the endpoint"
                            + " path. Consumer: the method the client asked for.")
    public static final String METHOD = "SkynetRpcMethod";

    @Metadata(label = "common", javaType = "Long",
              description = "The seq of the call on its connection (int64). Set by the producer after a call and by"
                            + " the consumer.")
    public static final String SEQ = "SkynetRpcSeq";

    @Metadata(label = "common", javaType = "String",
              description = "The clientid the service handed out in its handshake. Set by the producer after a call"
                            + " and by the consumer.")
    public static final String CLIENT_ID = "SkynetRpcClientId";

    @Metadata(label = "common", javaType = "String",
              description = "The request id (a UUID). Producer: sent as requestinfo.requestid when set, otherwise a"
                            + " random UUID is sent and stored here. Consumer: the client's.")
    public static final String REQUEST_ID = "SkynetRpcRequestId";

    @Metadata(label = "common", javaType = "String",
              description = "requestinfo.originaddress. Producer: sent when set. Consumer: the client's, or its remote"
                            + " address when the client left it empty, as the Go service does.")
    public static final String ORIGIN_ADDRESS = "SkynetRpcOriginAddress";

    @Metadata(label = "common", javaType = "String",
              description = "requestinfo.connectionaddress. Producer: sent when set. Consumer: the client's.")
    public static final String CONNECTION_ADDRESS = "SkynetRpcConnectionAddress";

    @Metadata(label = "common", javaType = "Integer",
              description = "requestinfo.retrycount (int32). Producer: sent when set (0 otherwise). Consumer: the"
                            + " client's.")
    public static final String RETRY_COUNT = "SkynetRpcRetryCount";

    @Metadata(label = "common", javaType = "String",
              description = "The servicemethod of the request header, e.g. Echo.Forward. Set by the producer after a"
                            + " call and by the consumer.")
    public static final String SERVICE_METHOD = "SkynetRpcServiceMethod";

    @Metadata(label = "common", javaType = "String",
              description = "Producer: the host:port that answered. Consumer: the client's remote address.")
    public static final String REMOTE_ADDRESS = "SkynetRpcRemoteAddress";

    private SkynetRpcConstants() {
    }
}
