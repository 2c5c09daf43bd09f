package dev.skynetbridge.testsupport;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP client for the tests, kept reachable, and a send that always ends. A client made per request
 * ({@code HttpClient.newHttpClient().send(...)}) hung a clean-clone CI run here: the test's thread stayed parked in
 * {@code send} for ten minutes past its 10 s request timeout. Most likely nothing referenced that client while its
 * request was in flight: JDK 17 stops a client's selector thread once the client is collected, and that thread is
 * what fires the timeout.
 */
public final class TestHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    /** Beyond any request timeout the tests set: only a client that never answers gets here. */
    private static final long SEND_LIMIT_SECONDS = 60;

    private TestHttp() {
    }

    public static HttpClient client() {
        return CLIENT;
    }

    /** {@link HttpClient#send}, but bounded even if the JDK's own timeout does not fire. */
    public static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        try {
            return CLIENT.sendAsync(request, handler).get(SEND_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IOException(request.method() + " " + request.uri() + ": no answer in " + SEND_LIMIT_SECONDS
                                  + " s", e);
        }
    }
}
