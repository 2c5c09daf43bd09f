package dev.skynetbridge.camel;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;

/**
 * The one mapping between a Camel message and a {@link SkynetMessage}, both ways, for every
 * component and bridge.
 *
 * <ul>
 *   <li>A received message ({@link #writeReceived}): body = the payload, headers
 *       {@link SkynetConstants#CHANNEL} (canonical text), {@link SkynetConstants#MESSAGE_ID},
 *       {@link SkynetConstants#TIME}, {@link SkynetConstants#EXTRAS}. {@link #readReceived} reads
 *       it back, e.g. in a bridge that archives or forwards it.
 *   <li>A message to send ({@link #writeToSend}): body = the payload, headers
 *       {@link SkynetConstants#OVERRIDE_CHANNEL} and {@link SkynetConstants#EXTRAS}, which a
 *       {@code skynet:} producer turns into a message with {@link #readToSend}.
 * </ul>
 */
public final class SkynetExchangeMapping {

    private SkynetExchangeMapping() {
    }

    /** Puts a message a Skynet participant received into {@code target}. */
    public static void writeReceived(SkynetMessage message, Message target) {
        target.setBody(message.payload());
        target.setHeader(SkynetConstants.CHANNEL, message.channel().canonical());
        target.setHeader(SkynetConstants.MESSAGE_ID, message.id());
        if (message.time() != null) {
            target.setHeader(SkynetConstants.TIME, message.time());
        }
        target.setHeader(SkynetConstants.EXTRAS, message.extras());
    }

    /**
     * The Skynet message a {@code skynet:} consumer put into {@code source}; the payload is the body
     * as it is now.
     *
     * @param reader names what reads it, for the error when the message did not come from Skynet
     * @throws IllegalArgumentException when the {@link SkynetConstants#CHANNEL} header is missing
     */
    public static SkynetMessage readReceived(Message source, String reader) {
        String channelText = source.getHeader(SkynetConstants.CHANNEL, String.class);
        if (channelText == null) {
            throw new IllegalArgumentException(reader + " takes Skynet messages and needs the " + SkynetConstants.CHANNEL
                    + " header (n:42 or s:foo): route from a skynet: consumer (or kamelet:skynet-source) or set it");
        }
        return new SkynetMessage(Channel.parseCanonical(channelText), source.getBody(),
                extrasOrNull(source.getHeader(SkynetConstants.EXTRAS)), source.getHeader(SkynetConstants.TIME, Instant.class),
                source.getHeader(SkynetConstants.MESSAGE_ID, String.class));
    }

    /** Sets up {@code target} so that a {@code skynet:} producer sends {@code message}'s payload and extras on its channel. */
    public static void writeToSend(SkynetMessage message, Message target) {
        target.setBody(message.payload());
        target.setHeader(SkynetConstants.OVERRIDE_CHANNEL, message.channel().canonical());
        target.setHeader(SkynetConstants.EXTRAS, message.extras());
    }

    /**
     * The message a {@code skynet:} producer sends for this exchange: on the
     * {@link SkynetConstants#OVERRIDE_CHANNEL} header's channel if set, else {@code endpointChannel};
     * the body as a Skynet payload ({@link PayloadConversion}); the extras header as extra keys. No
     * id and no time: the hub or server stamps them.
     */
    public static SkynetMessage readToSend(Exchange exchange, Channel endpointChannel, boolean parseJson)
            throws InvalidPayloadException {
        Message in = exchange.getMessage();
        Object override = in.getHeader(SkynetConstants.OVERRIDE_CHANNEL);
        Channel channel = override != null ? ChannelSyntax.fromHeader(override) : endpointChannel;
        Object payload = PayloadConversion.toPayload(exchange, in.getBody(), parseJson);
        return new SkynetMessage(channel, payload, extrasOrNull(in.getHeader(SkynetConstants.EXTRAS)), null, null);
    }

    /** The extras header as an ordered map with text keys; null when absent or empty. */
    public static Map<String, Object> extrasOrNull(Object header) {
        if (!(header instanceof Map<?, ?> map) || map.isEmpty()) {
            return null;
        }
        Map<String, Object> extras = new LinkedHashMap<>();
        map.forEach((key, value) -> extras.put(String.valueOf(key), value));
        return extras;
    }
}
