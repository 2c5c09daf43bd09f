package dev.skynetbridge.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token secrets made for tests, remembered so a test can check that none of them ever reached a
 * log line ({@link LogCapture}): each is unique, so a match cannot be a coincidence.
 */
public final class TestSecrets {

    private static final Set<String> ISSUED = ConcurrentHashMap.newKeySet();

    private TestSecrets() {
    }

    /** A fresh URL-safe secret. */
    public static String create() {
        String secret = "sx" + UUID.randomUUID().toString().replace("-", "");
        ISSUED.add(secret);
        return secret;
    }

    /** Fails naming the log lines (captured since {@link LogCapture#install()}) that hold an issued secret. */
    public static void assertNoneLogged() {
        List<String> leaks = LogCapture.matching(line -> ISSUED.stream().anyMatch(line::contains));
        assertThat(leaks).as("log lines holding a token secret (%d secrets issued, %d lines captured)", ISSUED.size(),
                LogCapture.size()).isEmpty();
    }
}
