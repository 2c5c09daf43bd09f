package dev.skynetbridge.testsupport;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real HTTP server on a free 127.0.0.1 port that records every request and answers as the
 * test scripts it: 200, 503, 429 with Retry-After, 400, any status, or never (hang until closed).
 * Scripted replies are used in order, one per request; after that the default reply (200) applies.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** Requests kept for inspection; past this the oldest is dropped and counted. */
    public static final int DEFAULT_CAPACITY = 1_000;
    private static final int MAX_HANDLER_THREADS = 64;
    private static final String SECRET_PREFIX = "whsec_";

    private final HttpServer server;
    private final ThreadPoolExecutor handlers;
    private final int capacity;
    private final Deque<RecordedRequest> recorded = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private volatile Reply defaultReply = Reply.ok();

    private WebhookReceiver(int capacity) throws IOException {
        this.capacity = capacity;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger threadNumber = new AtomicInteger();
        // Bounded and without a queue: a hanging reply holds a thread, the others must still be served.
        this.handlers = new ThreadPoolExecutor(0, MAX_HANDLER_THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "webhook-receiver-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a receiver on a free port. */
    public static WebhookReceiver start() {
        return start(DEFAULT_CAPACITY);
    }

    public static WebhookReceiver start(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        try {
            return new WebhookReceiver(capacity);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the webhook receiver", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:port} followed by {@code path} (which should start with '/'). */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** Replies for the next requests, in order. */
    public void enqueue(Reply... replies) {
        for (Reply reply : replies) {
            script.add(Objects.requireNonNull(reply, "reply"));
        }
    }

    /** The reply once the script is used up (200 unless changed). */
    public void setDefaultReply(Reply reply) {
        this.defaultReply = Objects.requireNonNull(reply, "reply");
    }

    /** Removes and returns the oldest recorded request, waiting up to {@code timeout}; null if none came. */
    public RecordedRequest takeRequest(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (recorded) {
            while (recorded.isEmpty()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(recorded, remaining);
            }
            return recorded.pollFirst();
        }
    }

    /** The recorded requests not yet taken, oldest first (a copy). */
    public List<RecordedRequest> requests() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /** All requests that arrived, including taken and dropped ones. */
    public int requestCount() {
        return received.get();
    }

    /** Requests dropped because more than the capacity were waiting to be taken. */
    public long droppedCount() {
        return dropped.get();
    }

    /** Releases hanging requests (their connections close without an answer) and stops the server. */
    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            // The reply is chosen before the request becomes visible to takeRequest(): a test that
            // takes a request and then scripts replies for its next requests must not have them
            // used for a request it has already seen (that leaked a 503 into the next test).
            Reply reply = script.poll();
            if (reply == null) {
                reply = defaultReply;
            }
            record(exchange);
            if (reply.hangs()) {
                awaitClose();
                return;
            }
            Headers responseHeaders = exchange.getResponseHeaders();
            reply.headers().forEach(responseHeaders::add);
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private void awaitClose() {
        try {
            closing.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void record(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
        RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
                Collections.unmodifiableMap(headers), body, Instant.now());
        received.incrementAndGet();
        synchronized (recorded) {
            if (recorded.size() >= capacity) {
                recorded.pollFirst();
                dropped.incrementAndGet();
            }
            recorded.addLast(request);
            recorded.notifyAll();
        }
    }

    /**
     * Checks a request against the Standard Webhooks scheme: {@code webhook-signature} holds
     * space-separated {@code v1,<base64>} entries, one of which must equal
     * base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")), where the key is the
     * base64 text after the {@code whsec_} prefix, decoded. The timestamp's age is not checked
     * here; see {@link #isTimestampWithin}.
     */
    public static boolean verifyStandardWebhookSignature(String secret, RecordedRequest request) {
        String id = request.header("webhook-id");
        String timestamp = request.header("webhook-timestamp");
        String signatures = request.header("webhook-signature");
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        byte[] expected;
        try {
            expected = hmacSha256(decodeSecret(secret), signedContent(id, timestamp, request.body()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (String entry : signatures.trim().split(" +")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !"v1".equals(entry.substring(0, comma))) {
                continue;
            }
            byte[] candidate;
            try {
                candidate = Base64.getDecoder().decode(entry.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, candidate)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code webhook-timestamp} (Unix seconds) is within {@code tolerance} of {@code now}, either way. */
    public static boolean isTimestampWithin(RecordedRequest request, Duration tolerance, Instant now) {
        String timestamp = request.header("webhook-timestamp");
        if (timestamp == null) {
            return false;
        }
        try {
            Instant sent = Instant.ofEpochSecond(Long.parseLong(timestamp.trim()));
            return Duration.between(sent, now).abs().compareTo(tolerance) <= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static byte[] decodeSecret(String secret) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }

    private static byte[] signedContent(String id, String timestamp, byte[] body) {
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, content, 0, prefix.length);
        System.arraycopy(body, 0, content, prefix.length, body.length);
        return content;
    }

    private static byte[] hmacSha256(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** One request as it arrived. Header names are case-insensitive. */
    public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
                                  byte[] body, Instant receivedAt) {

        public RecordedRequest {
            Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            copy.putAll(headers);
            headers = Collections.unmodifiableMap(copy);
            body = body.clone();
        }

        /** The first value of a header, or null. */
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public byte[] body() {
            return body.clone();
        }
    }

    /** How to answer one request. */
    public record Reply(int status, Map<String, String> headers, String body, boolean hangs) {

        public Reply {
            if (!hangs && (status < 100 || status > 599)) {
                throw new IllegalArgumentException("HTTP status must be 100-599, was " + status);
            }
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
        }

        public static Reply ok() {
            return status(200);
        }

        public static Reply status(int status) {
            return new Reply(status, Map.of(), "", false);
        }

        public static Reply badRequest() {
            return status(400);
        }

        public static Reply serviceUnavailable() {
            return status(503);
        }

        /** 429 with {@code Retry-After} in whole seconds. */
        public static Reply tooManyRequests(Duration retryAfter) {
            return new Reply(429, Map.of("Retry-After", String.valueOf(retryAfter.toSeconds())), "", false);
        }

        /** Never answer; the connection stays open until the receiver is closed. */
        public static Reply hang() {
            return new Reply(0, Map.of(), "", true);
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> more = new TreeMap<>(headers);
            more.put(name, value);
            return new Reply(status, more, body, hangs);
        }

        public Reply withBody(String text) {
            return new Reply(status, headers, text, hangs);
        }
    }

    /** Removes and returns every recorded request not yet taken, oldest first. */
    public List<RecordedRequest> drainRequests() {
        synchronized (recorded) {
            List<RecordedRequest> all = new ArrayList<>(recorded);
            recorded.clear();
            return all;
        }
    }
}
