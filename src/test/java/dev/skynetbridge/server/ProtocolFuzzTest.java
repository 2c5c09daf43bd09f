package dev.skynetbridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skynetbridge.protocol.Channel;
import dev.skynetbridge.protocol.ProtocolException;
import dev.skynetbridge.protocol.SkynetMessage;
import dev.skynetbridge.protocol.cbor.CborWriter;
import dev.skynetbridge.protocol.json.JsonValues;
import dev.skynetbridge.protocol.v2.V2Codec;
import dev.skynetbridge.protocol.v2.V2ServerFrame;
import dev.skynetbridge.testsupport.Hex;
import dev.skynetbridge.testsupport.LogCapture;
import dev.skynetbridge.testsupport.PipelinedWebSocket;
import dev.skynetbridge.testsupport.PipelinedWebSocket.Frame;
import dev.skynetbridge.testsupport.RawWebSocket;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Malformed CBOR and JSON of every kind thrown at the server, bounded and seeded
 * ({@code -Dskynet.fuzz.seed=N} replays a run, {@code -Dskynet.fuzz.frames=N} sets its length):
 * every frame is answered as the protocol says, or its connection closed with the right code,
 * while a well-behaved pair keeps exchanging messages with none lost.
 */
class ProtocolFuzzTest {

    static final long SEED = Long.getLong("skynet.fuzz.seed", 20261202L);
    static final int FRAMES = Integer.getInteger("skynet.fuzz.frames", 1500);
    static final int MAX_FRAME = 4096;
    static final String PAIR_CHANNEL = "fuzz-pair-channel";
    /** Sent after each v2 frame: its error marks the end of that frame's answers. */
    static final byte[] MARKER = new CborWriter(16).writeText("fuzz-marker").toByteArray();

    final Random random = new Random(SEED);
    Vertx vertx;
    SkynetServer server;

    @BeforeEach
    void start() {
        LogCapture.install();
        vertx = Vertx.vertx();
        server = new SkynetServer(vertx, new ServerOptions().host("127.0.0.1").port(0).maxFrameSize(MAX_FRAME)
                .limits(ConnectionLimits.NONE), new SkynetHub(100));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void everyMalformedFrameIsAnsweredAndAWellBehavedPairLosesNothing() throws Exception {
        int logLinesBefore = LogCapture.size();
        RawWebSocket receiver = RawWebSocket.connect(vertx, server.actualPort(), "/connect/");
        RawWebSocket sender = RawWebSocket.connect(vertx, server.actualPort(), "/connect/");
        receiver.sendBinary(V2Codec.encodeOpen(Channel.of(PAIR_CHANNEL)));
        await().until(() -> server.hub().subscriberCount(Channel.of(PAIR_CHANNEL)) == 1);

        PipelinedWebSocket v2 = openV2();
        PipelinedWebSocket v1 = PipelinedWebSocket.connect(server.actualPort(), "/v1/connect");
        int sent = 0;
        int oversize = 0;
        for (int i = 0; i < FRAMES; i++) {
            String where = "seed " + SEED + ", frame " + i;
            if (random.nextInt(100) == 0) {
                v2 = expectClose1009(v2, where);
                oversize++;
            } else if (random.nextInt(3) == 0) {
                answerV1(v1, jsonFuzz(), where);
            } else {
                answerV2(v2, cborFuzz(), where);
            }
            sender.sendBinary(V2Codec.encodeSend(SkynetMessage.of(Channel.of(PAIR_CHANNEL), (long) sent++)));
        }
        List<Object> received = new ArrayList<>();
        while (received.size() < sent) {
            RawWebSocket.Frame frame = receiver.next();
            received.add(((V2ServerFrame.Push) V2Codec.decodeServerFrame(frame.bytes())).message().payload());
        }
        for (int i = 0; i < sent; i++) {
            assertThat(received.get(i)).as("the pair's message %d, in order", i).isEqualTo((long) i);
        }
        assertThat(server.hub().metrics().oversizeFrames()).isEqualTo(oversize);
        assertThat(server.hub().metrics().protocolErrors()).isGreaterThan(FRAMES / 2);
        List<String> escaped = LogCapture.lines().subList(logLinesBefore, LogCapture.size()).stream()
                .filter(line -> line.startsWith("ERROR") || line.contains("Exception")).toList();
        assertThat(escaped).as("nothing the fuzzer sent made the server log an error").isEmpty();
        v1.close();
        v2.close();
        receiver.close();
        sender.close();
    }

    PipelinedWebSocket openV2() throws IOException {
        PipelinedWebSocket socket = PipelinedWebSocket.connect(server.actualPort(), "/connect/");
        // A binary first frame makes it a v2 connection, so later text frames are read as raw CBOR.
        socket.writeTogether(PipelinedWebSocket.frame(PipelinedWebSocket.BINARY, true, MARKER));
        assertThat(errorDetail(socket.read(), "opening")).contains("fuzz-marker");
        return socket;
    }

    /** One v2 frame and the marker in one write: an error for it if it is malformed, none if not, then the marker's. */
    void answerV2(PipelinedWebSocket socket, byte[] payload, String where) throws IOException {
        assertThat(payload.length).as("the generator stays under the frame limit").isLessThanOrEqualTo(MAX_FRAME);
        int expectedErrors;
        try {
            V2Codec.decodeRequest(payload);
            expectedErrors = 0;
        } catch (ProtocolException e) {
            expectedErrors = 1;
        } catch (RuntimeException e) {
            throw new AssertionError("the v2 codec crashed (" + where + "): " + shortHex(payload), e);
        }
        int opcode = random.nextInt(4) == 0 ? PipelinedWebSocket.TEXT : PipelinedWebSocket.BINARY;
        socket.writeTogether(PipelinedWebSocket.frame(opcode, true, payload),
                PipelinedWebSocket.frame(PipelinedWebSocket.BINARY, true, MARKER));
        int errors = 0;
        while (true) {
            Frame frame = socket.read();
            assertThat(frame).as("an answer to %s: %s", where, shortHex(payload)).isNotNull();
            assertThat(frame.opcode()).as("%s: v2 answers are binary, got close %d (%s) after %s %s", where,
                    frame.closeCode(), new String(frame.payload(), StandardCharsets.UTF_8),
                    opcode == PipelinedWebSocket.TEXT ? "text" : "binary", shortHex(payload))
                    .isEqualTo(PipelinedWebSocket.BINARY);
            V2ServerFrame decoded = decodeServer(frame, where);
            if (decoded instanceof V2ServerFrame.Error error) {
                if (error.detail().contains("fuzz-marker")) {
                    break;
                }
                errors++;
            }
        }
        assertThat(errors).as("errors for %s: %s", where, shortHex(payload)).isEqualTo(expectedErrors);
    }

    /** v1 answers every command: a result or an error, skipping events it may now receive. */
    void answerV1(PipelinedWebSocket socket, byte[] payload, String where) throws IOException {
        assertThat(payload.length).as("the generator stays under the frame limit").isLessThanOrEqualTo(MAX_FRAME);
        boolean binary = random.nextInt(20) == 0;
        socket.writeTogether(PipelinedWebSocket.frame(binary ? PipelinedWebSocket.BINARY : PipelinedWebSocket.TEXT,
                true, payload));
        while (true) {
            Frame frame = socket.read();
            assertThat(frame).as("an answer to %s: %s", where, new String(payload, StandardCharsets.UTF_8)).isNotNull();
            assertThat(frame.opcode()).isEqualTo(PipelinedWebSocket.TEXT);
            Map<?, ?> answer = (Map<?, ?>) JsonValues.parse(new String(frame.payload(), StandardCharsets.UTF_8));
            if (!"message".equals(answer.get("type"))) {
                assertThat(answer.get("type")).as(where).isIn("result", "error");
                return;
            }
        }
    }

    PipelinedWebSocket expectClose1009(PipelinedWebSocket socket, String where) throws IOException {
        byte[] big = new byte[MAX_FRAME + 1 + random.nextInt(MAX_FRAME)];
        random.nextBytes(big);
        if (random.nextBoolean()) {
            socket.writeTogether(PipelinedWebSocket.frame(PipelinedWebSocket.BINARY, true, big));
        } else { // fragments that add up to too much
            int half = big.length / 2;
            socket.writeTogether(PipelinedWebSocket.frame(PipelinedWebSocket.BINARY, false, java.util.Arrays.copyOf(big, half)),
                    PipelinedWebSocket.frame(0x0, true, java.util.Arrays.copyOfRange(big, half, big.length)));
        }
        Frame frame;
        do {
            frame = socket.read();
            assertThat(frame).as("%s: the close frame after an oversize message", where).isNotNull();
        } while (frame.opcode() != PipelinedWebSocket.CLOSE);
        assertThat(frame.closeCode()).as(where).isEqualTo(1009);
        socket.close();
        return openV2();
    }

    static String shortHex(byte[] bytes) {
        String hex = Hex.hex(bytes);
        return hex.length() <= 200 ? hex : hex.substring(0, 200) + "... (" + bytes.length + " bytes)";
    }

    static V2ServerFrame decodeServer(Frame frame, String where) {
        try {
            return V2Codec.decodeServerFrame(frame.payload());
        } catch (ProtocolException e) {
            throw new AssertionError(where + ": the server sent a frame it cannot read back: " + shortHex(frame.payload()), e);
        }
    }

    static String errorDetail(Frame frame, String where) {
        assertThat(frame).as(where).isNotNull();
        return ((V2ServerFrame.Error) decodeServer(frame, where)).detail();
    }

    // ------------------------------------------------------------------ malformed CBOR

    byte[] cborFuzz() {
        return switch (random.nextInt(11)) {
            // nesting far past the codec's limit (128), still under the frame size limit
            case 0 -> nested(0x81, 100 + random.nextInt(MAX_FRAME - 200), new byte[] {0x00});
            case 1 -> new CborWriter().writeArrayHead(2).writeText("message").writeEncoded(
                    nested(0xa1 /* map of 1, key 0 */, 100 + random.nextInt(MAX_FRAME / 2 - 200), new byte[] {0x00}))
                    .toByteArray();
            case 2 -> hugeDeclaredLength();
            case 3 -> truncated(validRequest());
            case 4 -> wrongTypes();
            case 5 -> mutated(validRequest());
            case 6 -> randomBytes(1 + random.nextInt(64));
            case 7 -> new CborWriter().writeArrayHead(2).writeText("open").writeEncoded(invalidUtf8Text()).toByteArray();
            case 8 -> nested(0x9f, 1 + random.nextInt(500), new byte[0]); // indefinite arrays never closed
            case 9 -> concat(validRequest(), randomBytes(1 + random.nextInt(8))); // trailing bytes
            default -> validRequest();
        };
    }

    /** {@code head} repeated {@code depth} times, then {@code tail}: [[[[...]]]] or {0:{0:...}}. */
    static byte[] nested(int head, int depth, byte[] tail) {
        byte[] bytes = new byte[depth * (head == 0xa1 ? 2 : 1) + tail.length];
        int at = 0;
        for (int i = 0; i < depth; i++) {
            bytes[at++] = (byte) head;
            if (head == 0xa1) {
                bytes[at++] = 0x00; // the key
            }
        }
        System.arraycopy(tail, 0, bytes, at, tail.length);
        return bytes;
    }

    byte[] hugeDeclaredLength() {
        int major = random.nextInt(6); // unsigned .. map; lengths matter for 2..5
        boolean eightBytes = random.nextBoolean();
        CborWriter writer = new CborWriter();
        if (random.nextBoolean()) {
            writer.writeArrayHead(2).writeText(random.nextBoolean() ? "open" : "message");
        }
        byte[] head = eightBytes ? new byte[] {(byte) (major << 5 | 27), 0x7f, -1, -1, -1, -1, -1, -1, -1}
                : new byte[] {(byte) (major << 5 | 26), -1, -1, -1, -1};
        return concat(writer.toByteArray(), concat(head, randomBytes(random.nextInt(16))));
    }

    byte[] validRequest() {
        Channel channel = random.nextBoolean() ? Channel.of(random.nextInt(1000) - 500) : Channel.of("c" + random.nextInt(50));
        return switch (random.nextInt(3)) {
            case 0 -> V2Codec.encodeOpen(channel);
            case 1 -> V2Codec.encodeClose(channel);
            default -> V2Codec.encodeSend(SkynetMessage.of(channel, Map.of("k", random.nextInt(), "list", List.of(1, "two"))));
        };
    }

    byte[] truncated(byte[] valid) {
        return java.util.Arrays.copyOf(valid, 1 + random.nextInt(valid.length - 1));
    }

    byte[] mutated(byte[] valid) {
        byte[] copy = valid.clone();
        for (int i = 0, flips = 1 + random.nextInt(3); i < flips; i++) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        return copy;
    }

    byte[] wrongTypes() {
        CborWriter writer = new CborWriter();
        switch (random.nextInt(9)) {
            case 0 -> writer.writeArrayHead(2).writeText("open").writeDouble(random.nextDouble() * 100);
            case 1 -> writer.writeArrayHead(2).writeText("open").writeValue(random.nextBoolean());
            case 2 -> writer.writeArrayHead(2).writeText("open").writeValue(List.of(1, 2));
            case 3 -> writer.writeArrayHead(2).writeText("message").writeText("not a table");
            case 4 -> writer.writeArrayHead(2).writeText("message").writeValue(Map.of("channel", Map.of("a", 1), "message", 1));
            case 5 -> writer.writeArrayHead(2).writeText("message").writeValue(Map.of(5L, "int key", "channel", 1));
            case 6 -> writer.writeValue(Map.of("open", 1));
            case 7 -> writer.writeArrayHead(3).writeText("open").writeLong(1).writeLong(2);
            default -> writer.writeArrayHead(2).writeLong(7).writeLong(1); // variant index out of range
        }
        return writer.toByteArray();
    }

    /** A CBOR text string whose bytes are not UTF-8. */
    byte[] invalidUtf8Text() {
        byte[] body = {(byte) 0xc3, 0x28, (byte) 0xff, (byte) 0xfe, (byte) 0xed, (byte) 0xa0, (byte) 0x80};
        byte[] text = new byte[1 + body.length];
        text[0] = (byte) (0x60 | body.length);
        System.arraycopy(body, 0, text, 1, body.length);
        return text;
    }

    byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    // ------------------------------------------------------------------ malformed JSON

    byte[] jsonFuzz() {
        String text = switch (random.nextInt(12)) {
            case 0 -> "[".repeat(1 + random.nextInt(MAX_FRAME - 100)) + "]".repeat(random.nextInt(3));
            case 1 -> "{\"type\":\"message\",\"channel\":1,\"message\":" + "{\"a\":".repeat(1 + random.nextInt(700)) + "1";
            case 2 -> "{\"type\":\"open\",\"channel\":" + random.nextDouble() + "}";
            case 3 -> "{\"type\":\"open\",\"channel\":" + "9".repeat(20 + random.nextInt(400)) + "}";
            case 4 -> "{\"type\":" + random.nextInt() + "}";
            case 5 -> "{\"type\":\"log\",\"start\":-" + random.nextInt(9) + ",\"end\":\"x\"}";
            case 6 -> "{\"type\":\"message\",\"channel\":\"\\ud800\",\"message\":\"lone surrogate\"}";
            case 7 -> truncatedJson();
            case 8 -> new String(randomBytes(1 + random.nextInt(40)), StandardCharsets.ISO_8859_1);
            case 9 -> "";
            case 10 -> "{\"type\":\"message\",\"channel\":\"x\",\"message\":1e99999}";
            default -> "{\"type\":\"open\",\"channel\":" + (random.nextBoolean() ? random.nextInt(100) : "\"c\"") + "}";
        };
        if (random.nextInt(8) == 0) { // bytes that are not UTF-8 at all
            return concat(text.getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xc3, 0x28});
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    String truncatedJson() {
        String valid = "{\"type\":\"message\",\"channel\":\"room\",\"message\":{\"list\":[1,2,3],\"s\":\"text\"}}";
        return valid.substring(0, 1 + random.nextInt(valid.length() - 1));
    }
}
