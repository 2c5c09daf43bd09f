package dev.skynetbridge.camel;

import dev.skynetbridge.protocol.cbor.CborWriter;
import dev.skynetbridge.protocol.json.JsonValues;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.TypeConversionException;
import org.apache.camel.spi.TypeConverterRegistry;
import org.apache.camel.support.TypeConverterSupport;

/**
 * Lets a route hand a Skynet payload straight to a byte- or text-oriented endpoint: a Map or
 * List body converts to JSON (bytes, String or stream), so a table sent from Lua reaches MQTT or
 * a webhook as a JSON object. {@link CborBytes} is the explicit way to ask for CBOR instead.
 */
public final class SkynetTypeConverters {

    private SkynetTypeConverters() {
    }

    public static void register(TypeConverterRegistry registry) {
        for (Class<?> from : List.of(Map.class, List.class)) {
            registry.addTypeConverter(byte[].class, from, converter(value -> JsonValues.toJsonBytes(value)));
            registry.addTypeConverter(String.class, from, converter(JsonValues::toJson));
            registry.addTypeConverter(InputStream.class, from,
                    converter(value -> new ByteArrayInputStream(JsonValues.toJsonBytes(value))));
            registry.addTypeConverter(CborBytes.class, from, converter(SkynetTypeConverters::cbor));
        }
        for (Class<?> from : List.of(String.class, Long.class, Integer.class, Double.class, Boolean.class, byte[].class)) {
            registry.addTypeConverter(CborBytes.class, from, converter(SkynetTypeConverters::cbor));
        }
        registry.addTypeConverter(byte[].class, CborBytes.class, converter(value -> ((CborBytes) value).bytes()));
    }

    private static CborBytes cbor(Object value) {
        return new CborBytes(new CborWriter().writeValue(value).toByteArray());
    }

    private interface Conversion {
        Object convert(Object value);
    }

    private static TypeConverterSupport converter(Conversion conversion) {
        return new TypeConverterSupport() {
            @Override
            public <T> T convertTo(Class<T> type, Exchange exchange, Object value) throws TypeConversionException {
                try {
                    return type.cast(conversion.convert(value));
                } catch (IllegalArgumentException e) {
                    throw new TypeConversionException(value, type, e);
                }
            }
        };
    }
}
