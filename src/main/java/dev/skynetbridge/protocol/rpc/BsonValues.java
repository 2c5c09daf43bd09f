package dev.skynetbridge.protocol.rpc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinaryReader;
import org.bson.BsonBinaryWriter;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;
import org.bson.types.Decimal128;

/**
 * Converts between BSON documents and plain Java values, so routes never see BSON types.
 *
 * <p>BSON to Java: document to {@code Map<String,Object>} (key order kept), array to {@code List}, string to
 * {@code String}, int32 to {@code Integer}, int64 to {@code Long}, double to {@code Double}, boolean to
 * {@code Boolean}, binary to {@code byte[]}, null/undefined to {@code null}, datetime to {@link Instant},
 * decimal128 to {@link BigDecimal}, ObjectId to its hex {@code String}; any other type (timestamp, regex,
 * JavaScript, min/max key, ...) to its JSON text form.
 *
 * <p>Java to BSON: the reverse, plus {@code Short}/{@code Byte} as int32, {@code Float} as double,
 * {@code BigInteger} as int64 when it fits, {@link Date} as datetime, {@code CharSequence} as string, arrays and
 * collections as arrays. Anything else is an {@link IllegalArgumentException} naming the path of the value.
 */
public final class BsonValues {

    private static final BsonDocumentCodec DOCUMENT_CODEC = new BsonDocumentCodec();

    private BsonValues() {
    }

    /** Parses one BSON document (no length checks beyond the BSON library's own). */
    public static BsonDocument decodeDocument(byte[] bytes) {
        try (BsonBinaryReader reader = new BsonBinaryReader(ByteBuffer.wrap(bytes))) {
            return DOCUMENT_CODEC.decode(reader, DecoderContext.builder().build());
        }
    }

    /** Serializes a document; keys in the document's own order. */
    public static byte[] encodeDocument(BsonDocument document) {
        BasicOutputBuffer buffer = new BasicOutputBuffer();
        try (BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
            DOCUMENT_CODEC.encode(writer, document, EncoderContext.builder().build());
        }
        return buffer.toByteArray();
    }

    /** Parses a BSON document into a map of plain Java values. */
    public static Map<String, Object> toMap(byte[] bsonDocument) {
        return toMap(RpcCodec.parse(bsonDocument, "BSON parameter document"));
    }

    public static Map<String, Object> toMap(BsonDocument document) {
        Map<String, Object> map = new LinkedHashMap<>(Math.max(4, document.size() * 2));
        for (Map.Entry<String, BsonValue> entry : document.entrySet()) {
            map.put(entry.getKey(), toJava(entry.getValue()));
        }
        return map;
    }

    public static Object toJava(BsonValue value) {
        if (value == null) {
            return null;
        }
        switch (value.getBsonType()) {
            case DOCUMENT:
                return toMap(value.asDocument());
            case ARRAY: {
                List<Object> list = new ArrayList<>(value.asArray().size());
                for (BsonValue element : value.asArray()) {
                    list.add(toJava(element));
                }
                return list;
            }
            case STRING:
                return value.asString().getValue();
            case INT32:
                return value.asInt32().getValue();
            case INT64:
                return value.asInt64().getValue();
            case DOUBLE:
                return value.asDouble().getValue();
            case BOOLEAN:
                return value.asBoolean().getValue();
            case BINARY:
                return value.asBinary().getData();
            case NULL:
            case UNDEFINED:
                return null;
            case DATE_TIME:
                return Instant.ofEpochMilli(value.asDateTime().getValue());
            case DECIMAL128:
                return value.asDecimal128().getValue().bigDecimalValue();
            case OBJECT_ID:
                return value.asObjectId().getValue().toHexString();
            default:
                // Rare types have no plain Java equivalent; their JSON text keeps the information readable.
                return new BsonDocument("v", value).toJson().replaceFirst("^\\{\\s*\"v\"\\s*:\\s*", "")
                        .replaceFirst("\\s*}$", "");
        }
    }

    /** Converts a map of plain Java values into a BSON document, keeping the map's key order. */
    public static BsonDocument toDocument(Map<?, ?> map) {
        return toDocument(map, "");
    }

    /** Converts a map of plain Java values into BSON document bytes. */
    public static byte[] toBytes(Map<?, ?> map) {
        return encodeDocument(toDocument(map));
    }

    private static BsonDocument toDocument(Map<?, ?> map, String path) {
        BsonDocument document = new BsonDocument();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new IllegalArgumentException("cannot convert to BSON: key " + entry.getKey() + " at '" + path
                        + "' is not a string");
            }
            document.put(key, fromJava(entry.getValue(), path.isEmpty() ? key : path + "." + key));
        }
        return document;
    }

    public static BsonValue fromJava(Object value) {
        return fromJava(value, "");
    }

    private static BsonValue fromJava(Object value, String path) {
        if (value == null) {
            return BsonNull.VALUE;
        }
        if (value instanceof BsonValue bson) {
            return bson;
        }
        if (value instanceof Map<?, ?> map) {
            return toDocument(map, path);
        }
        if (value instanceof CharSequence text) {
            return new BsonString(text.toString());
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return new BsonInt32(((Number) value).intValue());
        }
        if (value instanceof Long number) {
            return new BsonInt64(number);
        }
        if (value instanceof Double || value instanceof Float) {
            return new BsonDouble(((Number) value).doubleValue());
        }
        if (value instanceof Boolean flag) {
            return BsonBoolean.valueOf(flag);
        }
        if (value instanceof byte[] bytes) {
            return new BsonBinary(bytes);
        }
        if (value instanceof BigInteger big) {
            if (big.bitLength() < 64) {
                return new BsonInt64(big.longValue());
            }
            throw new IllegalArgumentException("cannot convert to BSON: integer " + big + " at '" + path
                    + "' does not fit in int64");
        }
        if (value instanceof BigDecimal decimal) {
            return new BsonDecimal128(new Decimal128(decimal));
        }
        if (value instanceof Instant instant) {
            return new BsonDateTime(instant.toEpochMilli());
        }
        if (value instanceof Date date) {
            return new BsonDateTime(date.getTime());
        }
        if (value instanceof Collection<?> collection) {
            BsonArray array = new BsonArray(new ArrayList<>(collection.size()));
            int index = 0;
            for (Object element : collection) {
                array.add(fromJava(element, path + "[" + index++ + "]"));
            }
            return array;
        }
        if (value instanceof Object[] objects) {
            return fromJava(java.util.Arrays.asList(objects), path);
        }
        throw new IllegalArgumentException("cannot convert to BSON: value of type " + value.getClass().getName()
                + " at '" + path + "' (use maps, lists, strings, numbers, booleans, byte[] or null)");
    }
}
