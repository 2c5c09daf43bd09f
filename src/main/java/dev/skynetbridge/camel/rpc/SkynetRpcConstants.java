package dev.skynetbridge.camel.rpc;

import org.apache.camel.spi.Metadata;

/** Exchange header names of the skynet-rpc component. */
public final class SkynetRpcConstants {

    @Metadata(description = "The service method called, e.g. Upcase. Producer: overrides the method of the endpoint"
            + " path. Consumer: the method the client asked for.", javaType = "String")
    public static final String METHOD = "SkynetRpcMethod";

    @Metadata(description = "The seq of the call on its connection (int64).", javaType = "Long")
    public static final String SEQ = "SkynetRpcSeq";

    @Metadata(description = "The clientid the service handed out in its handshake.", javaType = "String")
    public static final String CLIENT_ID = "SkynetRpcClientId";

    @Metadata(description = "The request id (a UUID). Producer: sent as requestinfo.requestid when set, otherwise a"
            + " random UUID is sent and stored here.", javaType = "String")
    public static final String REQUEST_ID = "SkynetRpcRequestId";

    @Metadata(description = "requestinfo.originaddress. Consumer: the client's remote address when the client left"
            + " it empty, as the Go service does.", javaType = "String")
    public static final String ORIGIN_ADDRESS = "SkynetRpcOriginAddress";

    @Metadata(description = "requestinfo.connectionaddress.", javaType = "String")
    public static final String CONNECTION_ADDRESS = "SkynetRpcConnectionAddress";

    @Metadata(description = "requestinfo.retrycount (int32).", javaType = "Integer")
    public static final String RETRY_COUNT = "SkynetRpcRetryCount";

    @Metadata(description = "The servicemethod of the request header, e.g. Echo.Forward.", javaType = "String")
    public static final String SERVICE_METHOD = "SkynetRpcServiceMethod";

    @Metadata(description = "Producer: the host:port that answered. Consumer: the client's remote address.",
            javaType = "String")
    public static final String REMOTE_ADDRESS = "SkynetRpcRemoteAddress";

    private SkynetRpcConstants() {
    }
}
