package dev.skynetbridge.protocol.rpc;

import static dev.skynetbridge.protocol.rpc.RpcVectors.CLIENT_ID;
import static dev.skynetbridge.protocol.rpc.RpcVectors.REQUEST_ID;
import static dev.skynetbridge.protocol.rpc.RpcVectors.SERVICE;
import static dev.skynetbridge.protocol.rpc.RpcVectors.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

/** Every golden vector, encoded byte for byte and decoded back to the same values. */
class RpcCodecTest {

    private static final RequestInfo VECTOR_REQUEST_INFO = new RequestInfo("", "", REQUEST_ID, 0);

    @Test
    void allThirteenVectorsAreLoaded() {
        assertThat(RpcVectors.all()).containsOnlyKeys("serviceHandshake_2013", "serviceHandshake_2013_unregistered",
                "clientHandshake_2013", "serviceHandshake_2012", "clientHandshake_2012", "requestHeader", "inParams",
                "requestBody", "responseHeader", "outParams", "responseBody", "errorResponseHeader",
                "errorResponseBody");
    }

    @Test
    void serviceHandshake2013() {
        ServiceHandshake handshake = new ServiceHandshake(SERVICE, true, CLIENT_ID);
        assertThat(RpcCodec.encode(handshake)).isEqualTo(get("serviceHandshake_2013"));
        assertThat(RpcCodec.decodeServiceHandshake(get("serviceHandshake_2013"))).isEqualTo(handshake);
    }

    @Test
    void serviceHandshake2013Unregistered() {
        ServiceHandshake handshake = new ServiceHandshake(SERVICE, false, CLIENT_ID);
        assertThat(RpcCodec.encode(handshake)).isEqualTo(get("serviceHandshake_2013_unregistered"));
        assertThat(RpcCodec.decodeServiceHandshake(get("serviceHandshake_2013_unregistered"))).isEqualTo(handshake);
    }

    @Test
    void serviceHandshake2012HasNoName() {
        ServiceHandshake handshake = new ServiceHandshake(null, true, CLIENT_ID);
        assertThat(RpcCodec.encode(handshake)).isEqualTo(get("serviceHandshake_2012"));
        ServiceHandshake decoded = RpcCodec.decodeServiceHandshake(get("serviceHandshake_2012"));
        assertThat(decoded).isEqualTo(handshake);
        assertThat(decoded.hasName()).isFalse();
    }

    @Test
    void clientHandshakes() {
        assertThat(RpcCodec.encode(new ClientHandshake(CLIENT_ID))).isEqualTo(get("clientHandshake_2013"));
        assertThat(RpcCodec.decodeClientHandshake(get("clientHandshake_2013")).clientId()).isEqualTo(CLIENT_ID);
        assertThat(RpcCodec.encode(ClientHandshake.EMPTY_2012)).isEqualTo(get("clientHandshake_2012"));
        assertThat(RpcCodec.decodeClientHandshake(get("clientHandshake_2012")).clientId()).isNull();
    }

    @Test
    void requestHeader() {
        RequestHeader header = new RequestHeader(RequestHeader.forwardMethodOf(SERVICE), 0);
        assertThat(RpcCodec.encode(header)).isEqualTo(get("requestHeader"));
        assertThat(RpcCodec.decodeRequestHeader(get("requestHeader"))).isEqualTo(header);
    }

    @Test
    void parametersDocumentsFromPlainMaps() {
        assertThat(BsonValues.toBytes(Map.of("data", "hello"))).isEqualTo(get("inParams"));
        assertThat(BsonValues.toBytes(Map.of("data", "HELLO"))).isEqualTo(get("outParams"));
        assertThat(BsonValues.toMap(get("outParams"))).containsExactly(Map.entry("data", "HELLO"));
    }

    @Test
    void requestBody() {
        ServiceRpcIn body = new ServiceRpcIn(CLIENT_ID, "Upcase", VECTOR_REQUEST_INFO, get("inParams"));
        assertThat(RpcCodec.encode(body)).isEqualTo(get("requestBody"));

        ServiceRpcIn decoded = RpcCodec.decodeServiceRpcIn(get("requestBody"));
        assertThat(decoded.clientId()).isEqualTo(CLIENT_ID);
        assertThat(decoded.method()).isEqualTo("Upcase");
        assertThat(decoded.requestInfo()).isEqualTo(VECTOR_REQUEST_INFO);
        assertThat(decoded.in()).isEqualTo(get("inParams"));
    }

    @Test
    void responseHeaderAndBody() {
        ResponseHeader header = new ResponseHeader("TestService.Forward", 0, "");
        assertThat(RpcCodec.encode(header)).isEqualTo(get("responseHeader"));
        assertThat(RpcCodec.decodeResponseHeader(get("responseHeader"))).isEqualTo(header);

        assertThat(RpcCodec.encode(new ServiceRpcOut(get("outParams"), ""))).isEqualTo(get("responseBody"));
        ServiceRpcOut decoded = RpcCodec.decodeServiceRpcOut(get("responseBody"));
        assertThat(decoded.out()).isEqualTo(get("outParams"));
        assertThat(decoded.errString()).isEmpty();
        assertThat(decoded.isMethodError()).isFalse();
    }

    @Test
    void rpcLevelErrorResponse() {
        ResponseHeader header = new ResponseHeader("TestService.Forward", 1, "No such method \"Nope\"");
        assertThat(RpcCodec.encode(header)).isEqualTo(get("errorResponseHeader"));
        assertThat(RpcCodec.decodeResponseHeader(get("errorResponseHeader"))).isEqualTo(header);
        assertThat(header.isError()).isTrue();

        assertThat(RpcCodec.encode(ServiceRpcOut.EMPTY)).isEqualTo(get("errorResponseBody"));
        assertThat(RpcCodec.emptyDocument()).isEqualTo(get("errorResponseBody"));
        assertThat(RpcCodec.decodeServiceRpcOut(get("errorResponseBody"))).isSameAs(ServiceRpcOut.EMPTY);
    }

    @Test
    void seqAboveInt32AndInt32SeqFromLenientPeers() {
        RequestHeader big = new RequestHeader("S.Forward", 1L << 40);
        assertThat(RpcCodec.decodeRequestHeader(RpcCodec.encode(big))).isEqualTo(big);

        BsonDocument int32Seq = new BsonDocument("servicemethod", new BsonString("S.Forward")).append("seq",
                new BsonInt32(7)).append("error", new BsonString(""));
        assertThat(RpcCodec.decodeResponseHeader(BsonValues.encodeDocument(int32Seq)).seq()).isEqualTo(7L);
    }

    @Test
    void wrongFieldTypeIsAClearProtocolError() {
        byte[] bad = BsonValues.encodeDocument(new BsonDocument("servicemethod", new BsonString("S.Forward"))
                .append("seq", new BsonString("zero")));
        assertThatThrownBy(() -> RpcCodec.decodeRequestHeader(bad))
                .isInstanceOf(RpcProtocolException.class)
                .hasMessageContaining("request header").hasMessageContaining("'seq'").hasMessageContaining("STRING");
    }

    @Test
    void corruptDocumentIsAClearProtocolError() {
        byte[] corrupt = get("requestHeader");
        corrupt[4] = 0x42; // an element type byte that does not exist
        assertThatThrownBy(() -> RpcCodec.decodeRequestHeader(corrupt))
                .isInstanceOf(RpcProtocolException.class).hasMessageContaining("malformed BSON");

        byte[] truncatedPrefix = get("responseHeader");
        truncatedPrefix[0] = 0x40;
        assertThatThrownBy(() -> RpcCodec.decodeResponseHeader(truncatedPrefix))
                .isInstanceOf(RpcProtocolException.class).hasMessageContaining("length prefix");
    }
}
