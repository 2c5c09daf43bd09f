package dev.skynetbridge.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.SkynetMessage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SkynetExchangeMappingTest {

    final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    @Test
    void aReceivedMessageSurvivesTheRoundTripWithExtrasInOrder() {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("z", 1L);
        extras.put("a", List.of("x"));
        SkynetMessage sent = new SkynetMessage(Channel.of("42"), Map.of("temp", 812L), extras,
                Instant.parse("2026-12-02T00:00:00Z"), "id-1");
        Exchange exchange = new DefaultExchange(context);

        SkynetExchangeMapping.writeReceived(sent, exchange.getMessage());
        SkynetMessage read = SkynetExchangeMapping.readReceived(exchange.getMessage(), "test");

        assertThat(exchange.getMessage().getHeader(SkynetConstants.CHANNEL)).isEqualTo("s:42");
        assertThat(read).isEqualTo(sent);
        assertThat(read.extras().keySet()).containsExactly("z", "a");
    }

    @Test
    void readingAMessageThatDidNotComeFromSkynetNamesTheReaderAndTheHeader() {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody("x");
        assertThatThrownBy(() -> SkynetExchangeMapping.readReceived(exchange.getMessage(), "The Kafka archive"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("The Kafka archive").hasMessageContaining(SkynetConstants.CHANNEL);
    }

    @Test
    void aMessageToSendGoesOnTheOverrideChannelWithItsExtras() throws Exception {
        Exchange exchange = new DefaultExchange(context);
        SkynetExchangeMapping.writeToSend(new SkynetMessage(Channel.of(7), "{\"a\":1}", Map.of("k", "v"), null, null),
                exchange.getMessage());

        SkynetMessage parsed = SkynetExchangeMapping.readToSend(exchange, Channel.of(1), true);
        SkynetMessage raw = SkynetExchangeMapping.readToSend(exchange, Channel.of(1), false);

        assertThat(parsed.channel()).isEqualTo(Channel.of(7));
        assertThat(parsed.payload()).isEqualTo(Map.of("a", 1L));
        assertThat(raw.payload()).isEqualTo("{\"a\":1}");
        assertThat(parsed.extras()).isEqualTo(Map.of("k", "v"));
        assertThat(parsed.id()).isNull();
        assertThat(parsed.time()).isNull();
    }

    @Test
    void withoutAnOverrideTheEndpointChannelIsUsed() throws Exception {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(5L);
        assertThat(SkynetExchangeMapping.readToSend(exchange, Channel.of("door"), true).channel())
                .isEqualTo(Channel.of("door"));
    }
}
