package dev.skynetbridge.protocol.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BsonFrameReaderTest {

    /** The whole vector set as one TCP stream, the way it appears on the wire. */
    private static byte[] allVectorsConcatenated(List<byte[]> expected) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        RpcVectors.all().values().forEach(bytes -> {
            expected.add(bytes);
            stream.writeBytes(bytes);
        });
        return stream.toByteArray();
    }

    @Test
    void splitsAStreamOfDocumentsWhateverTheChunkSize() {
        List<byte[]> expected = new ArrayList<>();
        byte[] stream = allVectorsConcatenated(expected);
        for (int chunkSize : new int[] {1, 2, 3, 4, 5, 7, 64, 1000, stream.length}) {
            BsonFrameReader reader = new BsonFrameReader();
            List<byte[]> documents = new ArrayList<>();
            for (int offset = 0; offset < stream.length; offset += chunkSize) {
                documents.addAll(reader.feed(stream, offset, Math.min(chunkSize, stream.length - offset)));
            }
            assertThat(documents).as("chunk size %d", chunkSize).containsExactlyElementsOf(expected);
            assertThat(reader.bufferedBytes()).isZero();
        }
    }

    @Test
    void keepsAnIncompleteDocumentUntilTheRestArrives() {
        byte[] header = RpcVectors.get("requestHeader");
        BsonFrameReader reader = new BsonFrameReader();
        assertThat(reader.feed(header, 0, 10)).isEmpty();
        assertThat(reader.bufferedBytes()).isEqualTo(10);
        assertThat(reader.feed(header, 10, header.length - 10)).containsExactly(header);
    }

    @Test
    void documentAboveTheMaximumIsRefusedBeforeBuffering() {
        BsonFrameReader reader = new BsonFrameReader(64);
        byte[] body = RpcVectors.get("requestBody"); // 235 bytes
        assertThatThrownBy(() -> reader.feed(body))
                .isInstanceOf(RpcProtocolException.class)
                .hasMessageContaining("235 bytes exceeds the maximum of 64 bytes")
                .hasMessageContaining("maxDocumentSize");
        assertThatThrownBy(() -> reader.feed(new byte[] {5, 0, 0, 0, 0}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already failed");
    }

    @Test
    void lengthPrefixBelowFiveIsRefused() {
        BsonFrameReader reader = new BsonFrameReader();
        assertThatThrownBy(() -> reader.feed(new byte[] {4, 0, 0, 0}))
                .isInstanceOf(RpcProtocolException.class).hasMessageContaining("below the minimum");
        BsonFrameReader negative = new BsonFrameReader();
        assertThatThrownBy(() -> negative.feed(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}))
                .isInstanceOf(RpcProtocolException.class).hasMessageContaining("-1");
    }
}
