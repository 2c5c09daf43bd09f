package dev.skynetbridge.bridge.kafka;

import java.util.Locale;

/** How an archived message is written as a Kafka record value. */
public enum ArchiveValueFormat {

    /** The v2 push a Skynet v2 client receives for the message: {@code ["message", {channel, ...extras, message, time}]}. */
    CBOR("cbor-v2-push"),

    /** A JSON object {@code {"channel":"n:42","message":...,"time":"...","id":"...","extras":{...}}}. */
    JSON("json");

    private final String headerValue;

    ArchiveValueFormat(String headerValue) {
        this.headerValue = headerValue;
    }

    /** The value of the {@code skynet-format} record header. */
    public String headerValue() {
        return headerValue;
    }

    /** Parses a template parameter: {@code cbor} or {@code json}, any case. */
    public static ArchiveValueFormat parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "cbor", "cbor-v2-push" -> CBOR;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("Kafka archive format is '" + text
                    + "'; use cbor (the v2 push bytes, default) or json");
        };
    }

    static ArchiveValueFormat fromHeader(String headerValue) {
        for (ArchiveValueFormat format : values()) {
            if (format.headerValue.equals(headerValue)) {
                return format;
            }
        }
        return null;
    }
}
