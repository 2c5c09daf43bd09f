package dev.skynetbridge.protocol.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skynetbridge.protocol.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What a NATS server sends, split at every point and at random points, parsed to the same operations. */
class NatsParserTest {

    /** Every operation as one line of text, payloads in hex-free form (they are text in these tests). */
    private static class Recorder implements NatsParser.Listener {
        final List<String> seen = new ArrayList<>();

        @Override
        public void info(String json) {
            seen.add("INFO " + json);
        }

        @Override
        public void message(String subject, long sid, String replyTo, byte[] payload) {
            seen.add("MSG " + subject + " " + sid + " " + replyTo + " " + new String(payload, StandardCharsets.UTF_8));
        }

        @Override
        public void ping() {
            seen.add("PING");
        }

        @Override
        public void pong() {
            seen.add("PONG");
        }

        @Override
        public void ok() {
            seen.add("+OK");
        }

        @Override
        public void error(String text) {
            seen.add("-ERR " + text);
        }
    }

    private static final String STREAM = "INFO {\"server_id\":\"x\",\"max_payload\":1048576}\r\n"
            + "+OK\r\n"
            + "MSG skynet.n.1 1 5\r\nhello\r\n"
            + "MSG skynet.s.a 22 reply.to 3\r\n\r\n\n\r\n"
            + "msg  spaced\t9   0\r\n\r\n"
            + "PING\r\n"
            + "pong\r\n"
            + "-ERR 'Authorization Violation'\r\n"
            + "MSG x 3 6\r\nPING\r\n\r\n";

    private static final List<String> EXPECTED = List.of(
            "INFO {\"server_id\":\"x\",\"max_payload\":1048576}",
            "+OK",
            "MSG skynet.n.1 1 null hello",
            "MSG skynet.s.a 22 reply.to \r\n\n",
            "MSG spaced 9 null ",
            "PING",
            "PONG",
            "-ERR Authorization Violation",
            "MSG x 3 null PING\r\n");

    @Test
    void aWholeStreamGivesEachOperationOnce() throws Exception {
        assertThat(parse(bytes(STREAM))).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void splitAtAnyOnePointTheStreamGivesTheSameOperations() throws Exception {
        byte[] all = bytes(STREAM);
        for (int split = 0; split <= all.length; split++) {
            Recorder recorder = new Recorder();
            NatsParser parser = new NatsParser(recorder);
            parser.feed(all, 0, split);
            parser.feed(all, split, all.length - split);
            assertThat(recorder.seen).as("split at " + split).containsExactlyElementsOf(EXPECTED);
        }
    }

    @Test
    void byteByByteAndInRandomChunksTheStreamGivesTheSameOperations() throws Exception {
        byte[] all = bytes(STREAM);
        Recorder oneByOne = new Recorder();
        NatsParser parser = new NatsParser(oneByOne);
        for (byte b : all) {
            parser.feed(new byte[] {b});
        }
        assertThat(oneByOne.seen).containsExactlyElementsOf(EXPECTED);
        Random random = new Random(42);
        for (int round = 0; round < 500; round++) {
            Recorder recorder = new Recorder();
            NatsParser chunked = new NatsParser(recorder);
            int position = 0;
            while (position < all.length) {
                int size = Math.min(all.length - position, 1 + random.nextInt(24));
                chunked.feed(Arrays.copyOfRange(all, position, position + size));
                position += size;
            }
            assertThat(recorder.seen).as("round " + round).containsExactlyElementsOf(EXPECTED);
        }
    }

    @Test
    void aBigPayloadSplitInManyReadsArrivesWhole() throws Exception {
        byte[] payload = new byte[3 * 1024 * 1024 + 7];
        new Random(1).nextBytes(payload);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(bytes("MSG big 1 " + payload.length + "\r\n"));
        stream.writeBytes(payload);
        stream.writeBytes(bytes("\r\nPING\r\n"));
        byte[] all = stream.toByteArray();
        List<byte[]> payloads = new ArrayList<>();
        List<String> others = new ArrayList<>();
        NatsParser parser = new NatsParser(new Recorder() {
            @Override
            public void message(String subject, long sid, String replyTo, byte[] body) {
                payloads.add(body);
            }

            @Override
            public void ping() {
                others.add("PING");
            }
        });
        for (int position = 0; position < all.length; position += 65_536) {
            parser.feed(all, position, Math.min(65_536, all.length - position));
        }
        assertThat(payloads).singleElement().isEqualTo(payload);
        assertThat(others).containsExactly("PING");
    }

    @Test
    void aPayloadOverTheLimitOrAWrongTrailerOrAnUnknownOperationIsAProtocolError() {
        NatsParser limited = new NatsParser(new Recorder());
        limited.maxPayload(10);
        assertThatThrownBy(() -> limited.feed(bytes("MSG a 1 11\r\n"))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("more than the 10 bytes");
        assertThatThrownBy(() -> parse(bytes("MSG a 1 2\r\nabc\r\n"))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("not followed by CRLF");
        assertThatThrownBy(() -> parse(bytes("HELLO there\r\n"))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("'HELLO'");
        assertThatThrownBy(() -> parse(bytes("MSG a 1\r\n"))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("2 arguments");
        assertThatThrownBy(() -> parse(bytes("MSG a x 1\r\n"))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("subscription id");
        assertThatThrownBy(() -> parse(new byte[NatsParser.MAX_CONTROL_LINE + 1]))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("control line longer");
    }

    @Test
    void theCommandsAreTheProtocolsBytes() {
        assertThat(new String(NatsCommands.publish("skynet.n.1", bytes("hi")), StandardCharsets.UTF_8))
                .isEqualTo("PUB skynet.n.1 2\r\nhi\r\n");
        assertThat(new String(NatsCommands.publish("e", new byte[0]), StandardCharsets.UTF_8)).isEqualTo("PUB e 0\r\n\r\n");
        assertThat(new String(NatsCommands.subscribe("skynet.>", 7), StandardCharsets.UTF_8))
                .isEqualTo("SUB skynet.> 7\r\n");
        assertThat(new String(NatsCommands.unsubscribe(7), StandardCharsets.UTF_8)).isEqualTo("UNSUB 7\r\n");
        assertThat(new String(NatsCommands.connect("{}"), StandardCharsets.UTF_8)).isEqualTo("CONNECT {}\r\n");
        assertThatThrownBy(() -> NatsCommands.publish("a b", new byte[0])).hasMessageContaining("blanks");
    }

    private static List<String> parse(byte[] data) throws ProtocolException {
        Recorder recorder = new Recorder();
        new NatsParser(recorder).feed(data);
        return recorder.seen;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
