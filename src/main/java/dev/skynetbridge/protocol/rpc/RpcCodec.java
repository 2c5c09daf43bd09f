package dev.skynetbridge.protocol.rpc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonSerializationException;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.io.BasicOutputBuffer;

/**
 * Encodes and decodes the skynet RPC messages. Keys and BSON types are exactly those the Go peers use (Go field
 * names in lower case, {@code seq} int64, {@code retrycount} int32, {@code in}/{@code out} binary subtype 0), in
 * the order the golden vectors show.
 *
 * <p>Decoding is tolerant where Go is: a missing key reads as the zero value, and integer fields accept int32 or
 * int64. A key with an incompatible type is a {@link RpcProtocolException}.
 */
public final class RpcCodec {

    /** The empty BSON document {@code {}}: the body after an RPC-level error, and the 2012 client handshake. */
    private static final byte[] EMPTY_DOCUMENT = {5, 0, 0, 0, 0};

    private RpcCodec() {
    }

    public static byte[] emptyDocument() {
        return EMPTY_DOCUMENT.clone();
    }

    // ---- encoding -------------------------------------------------------------------------------------------

    public static byte[] encode(ServiceHandshake handshake) {
        return write(writer -> {
            if (handshake.name() != null) {
                writer.writeString("name", handshake.name());
            }
            writer.writeBoolean("registered", handshake.registered());
            writer.writeString("clientid", nullToEmpty(handshake.clientId()));
        });
    }

    public static byte[] encode(ClientHandshake handshake) {
        return write(writer -> {
            if (handshake.clientId() != null) {
                writer.writeString("clientid", handshake.clientId());
            }
        });
    }

    public static byte[] encode(RequestHeader header) {
        return write(writer -> {
            writer.writeString("servicemethod", nullToEmpty(header.serviceMethod()));
            writer.writeInt64("seq", header.seq());
        });
    }

    public static byte[] encode(ServiceRpcIn body) {
        RequestInfo info = body.requestInfo() != null ? body.requestInfo() : new RequestInfo("", "", "", 0);
        return write(writer -> {
            writer.writeString("clientid", nullToEmpty(body.clientId()));
            writer.writeString("method", nullToEmpty(body.method()));
            writer.writeStartDocument("requestinfo");
            writer.writeString("originaddress", nullToEmpty(info.originAddress()));
            writer.writeString("connectionaddress", nullToEmpty(info.connectionAddress()));
            writer.writeString("requestid", nullToEmpty(info.requestId()));
            writer.writeInt32("retrycount", info.retryCount());
            writer.writeEndDocument();
            writer.writeBinaryData("in", binary(body.in()));
        });
    }

    public static byte[] encode(ResponseHeader header) {
        return write(writer -> {
            writer.writeString("servicemethod", nullToEmpty(header.serviceMethod()));
            writer.writeInt64("seq", header.seq());
            writer.writeString("error", nullToEmpty(header.error()));
        });
    }

    public static byte[] encode(ServiceRpcOut body) {
        return write(writer -> {
            if (body.out() != null) {
                writer.writeBinaryData("out", binary(body.out()));
            }
            if (body.errString() != null) {
                writer.writeString("errstring", body.errString());
            }
        });
    }

    // ---- decoding -------------------------------------------------------------------------------------------

    public static ServiceHandshake decodeServiceHandshake(byte[] bytes) {
        BsonDocument doc = parse(bytes, "service handshake");
        return new ServiceHandshake(
                doc.containsKey("name") ? string(doc, "name", "service handshake") : null,
                bool(doc, "registered", "service handshake"),
                string(doc, "clientid", "service handshake"));
    }

    public static ClientHandshake decodeClientHandshake(byte[] bytes) {
        BsonDocument doc = parse(bytes, "client handshake");
        return new ClientHandshake(doc.containsKey("clientid") ? string(doc, "clientid", "client handshake") : null);
    }

    public static RequestHeader decodeRequestHeader(byte[] bytes) {
        BsonDocument doc = parse(bytes, "request header");
        return new RequestHeader(string(doc, "servicemethod", "request header"), int64(doc, "seq", "request header"));
    }

    public static ServiceRpcIn decodeServiceRpcIn(byte[] bytes) {
        String what = "request body (ServiceRPCIn)";
        BsonDocument doc = parse(bytes, what);
        RequestInfo info = null;
        BsonValue infoValue = doc.get("requestinfo");
        if (infoValue != null && !infoValue.isNull()) {
            if (!infoValue.isDocument()) {
                throw wrongType(what, "requestinfo", "document", infoValue);
            }
            BsonDocument infoDoc = infoValue.asDocument();
            String infoWhat = what + " requestinfo";
            info = new RequestInfo(
                    string(infoDoc, "originaddress", infoWhat),
                    string(infoDoc, "connectionaddress", infoWhat),
                    string(infoDoc, "requestid", infoWhat),
                    Math.toIntExact(int64(infoDoc, "retrycount", infoWhat)));
        }
        return new ServiceRpcIn(string(doc, "clientid", what), string(doc, "method", what), info,
                binaryBytes(doc, "in", what));
    }

    public static ResponseHeader decodeResponseHeader(byte[] bytes) {
        BsonDocument doc = parse(bytes, "response header");
        return new ResponseHeader(string(doc, "servicemethod", "response header"), int64(doc, "seq", "response header"),
                string(doc, "error", "response header"));
    }

    public static ServiceRpcOut decodeServiceRpcOut(byte[] bytes) {
        String what = "response body (ServiceRPCOut)";
        BsonDocument doc = parse(bytes, what);
        if (doc.isEmpty()) {
            return ServiceRpcOut.EMPTY;
        }
        return new ServiceRpcOut(binaryBytes(doc, "out", what),
                doc.containsKey("errstring") ? string(doc, "errstring", what) : null);
    }

    /** Parses one complete BSON document; the length prefix must match the array length exactly. */
    public static BsonDocument parse(byte[] bytes, String what) {
        if (bytes == null || bytes.length < BsonFrameReader.MIN_DOCUMENT_SIZE) {
            throw new RpcProtocolException(what + ": not a BSON document (" + (bytes == null ? 0 : bytes.length)
                    + " bytes, a document has at least 5)");
        }
        int declared = ByteBuffer.wrap(bytes, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (declared != bytes.length) {
            throw new RpcProtocolException(what + ": BSON length prefix says " + declared + " bytes but the document has "
                    + bytes.length);
        }
        try {
            return BsonValues.decodeDocument(bytes);
        } catch (BsonSerializationException | BsonInvalidOperationException | IllegalArgumentException
                 | IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            throw new RpcProtocolException(what + ": malformed BSON: " + e.getMessage(), e);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static byte[] write(Consumer<BsonBinaryWriter> fields) {
        BasicOutputBuffer buffer = new BasicOutputBuffer();
        try (BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
            writer.writeStartDocument();
            fields.accept(writer);
            writer.writeEndDocument();
        }
        return buffer.toByteArray();
    }

    private static BsonBinary binary(byte[] document) {
        return new BsonBinary(BsonBinarySubType.BINARY, document != null ? document : EMPTY_DOCUMENT);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String string(BsonDocument doc, String key, String what) {
        BsonValue value = doc.get(key);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isString()) {
            throw wrongType(what, key, "string", value);
        }
        return value.asString().getValue();
    }

    private static boolean bool(BsonDocument doc, String key, String what) {
        BsonValue value = doc.get(key);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw wrongType(what, key, "boolean", value);
        }
        return value.asBoolean().getValue();
    }

    private static long int64(BsonDocument doc, String key, String what) {
        BsonValue value = doc.get(key);
        if (value == null || value.isNull()) {
            return 0L;
        }
        if (value.isInt64()) {
            return value.asInt64().getValue();
        }
        if (value.isInt32()) {
            return value.asInt32().getValue();
        }
        throw wrongType(what, key, "int64 or int32", value);
    }

    private static byte[] binaryBytes(BsonDocument doc, String key, String what) {
        BsonValue value = doc.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBinary()) {
            throw wrongType(what, key, "binary", value);
        }
        return value.asBinary().getData();
    }

    private static RpcProtocolException wrongType(String what, String key, String expected, BsonValue actual) {
        BsonType type = actual.getBsonType();
        return new RpcProtocolException(what + ": key '" + key + "' must be " + expected + " but is " + type);
    }
}
