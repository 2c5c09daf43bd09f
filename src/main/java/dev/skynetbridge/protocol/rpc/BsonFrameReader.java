package dev.skynetbridge.protocol.rpc;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a byte stream into BSON documents. Each document starts with its own total length as an int32
 * little-endian, so no other delimiter exists. Feed bytes as they arrive, in chunks of any size; complete documents
 * come out in order.
 *
 * <p>Memory is bounded: at most one document of {@code maxDocumentSize} bytes is buffered. A length prefix below 5
 * or above the maximum is a {@link RpcProtocolException}; after that the reader refuses further input, because the
 * stream has lost its framing and nothing after it can be trusted.
 *
 * <p>Not thread-safe: one reader per connection, fed by one thread at a time.
 */
public final class BsonFrameReader {

    public static final int DEFAULT_MAX_DOCUMENT_SIZE = 16 * 1024 * 1024;
    public static final int MIN_DOCUMENT_SIZE = 5;

    private final int maxDocumentSize;
    private final byte[] lengthPrefix = new byte[4];
    private int lengthPrefixFilled;
    private byte[] document;
    private int documentFilled;
    private RpcProtocolException failure;

    public BsonFrameReader() {
        this(DEFAULT_MAX_DOCUMENT_SIZE);
    }

    public BsonFrameReader(int maxDocumentSize) {
        if (maxDocumentSize < MIN_DOCUMENT_SIZE) {
            throw new IllegalArgumentException("maxDocumentSize must be at least " + MIN_DOCUMENT_SIZE + " but is "
                    + maxDocumentSize);
        }
        this.maxDocumentSize = maxDocumentSize;
    }

    public int maxDocumentSize() {
        return maxDocumentSize;
    }

    /** Bytes received that do not yet form a complete document. */
    public int bufferedBytes() {
        return document != null ? documentFilled : lengthPrefixFilled;
    }

    public List<byte[]> feed(byte[] chunk) {
        return feed(chunk, 0, chunk.length);
    }

    /** Consumes the given bytes and returns every document they complete (possibly none). */
    public List<byte[]> feed(byte[] chunk, int offset, int length) {
        if (failure != null) {
            throw new IllegalStateException("BSON stream already failed: " + failure.getMessage());
        }
        List<byte[]> complete = new ArrayList<>(2);
        int position = offset;
        int end = offset + length;
        while (position < end) {
            if (document == null) {
                int take = Math.min(4 - lengthPrefixFilled, end - position);
                System.arraycopy(chunk, position, lengthPrefix, lengthPrefixFilled, take);
                lengthPrefixFilled += take;
                position += take;
                if (lengthPrefixFilled < 4) {
                    break;
                }
                startDocument(declaredLength());
            }
            int take = Math.min(document.length - documentFilled, end - position);
            System.arraycopy(chunk, position, document, documentFilled, take);
            documentFilled += take;
            position += take;
            if (documentFilled == document.length) {
                complete.add(document);
                document = null;
                documentFilled = 0;
                lengthPrefixFilled = 0;
            }
        }
        return complete;
    }

    private int declaredLength() {
        return (lengthPrefix[0] & 0xff) | (lengthPrefix[1] & 0xff) << 8 | (lengthPrefix[2] & 0xff) << 16
                | (lengthPrefix[3] & 0xff) << 24;
    }

    private void startDocument(int declared) {
        if (declared < MIN_DOCUMENT_SIZE) {
            throw fail(new RpcProtocolException("BSON length prefix " + declared + " is below the minimum of "
                    + MIN_DOCUMENT_SIZE + " bytes: the stream is not BSON or lost its framing"));
        }
        if (declared > maxDocumentSize) {
            throw fail(new RpcProtocolException("BSON document of " + declared + " bytes exceeds the maximum of "
                    + maxDocumentSize + " bytes (raise maxDocumentSize if such documents are expected)"));
        }
        document = new byte[declared];
        System.arraycopy(lengthPrefix, 0, document, 0, 4);
        documentFilled = 4;
    }

    private RpcProtocolException fail(RpcProtocolException exception) {
        failure = exception;
        return exception;
    }
}
