package dev.skynetbridge.server.acl;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A token's secret as the access file stores it: PBKDF2-HMAC-SHA256 with a random salt, the
 * iteration count kept in the value so it can be raised later without breaking older entries.
 * Text form: {@code pbkdf2-sha256$<iterations>$<salt, base64>$<key, base64>}.
 *
 * <p>Verifying costs about as much as hashing (tens of milliseconds at the default): callers
 * verify once per connection, off the event loop.
 */
public final class TokenHash {

    public static final String SCHEME = "pbkdf2-sha256";
    /** OWASP's 2023 floor for PBKDF2-HMAC-SHA512, and about 60 ms per connection on a 2-core server here. */
    public static final int DEFAULT_ITERATIONS = 210_000;
    public static final int MIN_ITERATIONS = 1_000;
    /** Above this one connection would hold a verification thread for seconds. */
    public static final int MAX_ITERATIONS = 10_000_000;
    private static final int SALT_BYTES = 16;
    private static final int KEY_BITS = 256;
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;
    private final byte[] salt;
    private final byte[] key;

    private TokenHash(int iterations, byte[] salt, byte[] key) {
        this.iterations = iterations;
        this.salt = salt;
        this.key = key;
    }

    /** Hashes a secret with a fresh salt. */
    public static TokenHash create(String secret, int iterations) {
        checkIterations(iterations);
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new TokenHash(iterations, salt, derive(secret, salt, iterations));
    }

    /**
     * Reads the text form.
     *
     * @throws IllegalArgumentException saying what is wrong (never echoing the value: it may be a pasted secret)
     */
    public static TokenHash parse(String text) {
        String[] parts = text == null ? new String[0] : text.split("\\$", -1);
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            throw new IllegalArgumentException("hash is not a value printed by hash-token (expected " + SCHEME
                    + "$<iterations>$<salt>$<key>; run java -jar skynet-bridge.jar hash-token <secret>)");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("hash: the iteration count is not a whole number");
        }
        checkIterations(iterations);
        byte[] salt;
        byte[] key;
        try {
            salt = Base64.getDecoder().decode(parts[2]);
            key = Base64.getDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hash: the salt or key is not base64 (copy the whole value hash-token printed)");
        }
        if (salt.length < 8 || key.length != KEY_BITS / 8) {
            throw new IllegalArgumentException("hash: the salt or key has the wrong length (copy the whole value"
                    + " hash-token printed)");
        }
        return new TokenHash(iterations, salt, key);
    }

    private static void checkIterations(int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("hash: the iteration count must be " + MIN_ITERATIONS + ".."
                    + MAX_ITERATIONS + ", got " + iterations);
        }
    }

    /** Whether {@code secret} is the one hashed; compares in constant time. Slow on purpose. */
    public boolean verify(String secret) {
        return MessageDigest.isEqual(key, derive(secret, salt, iterations));
    }

    public int iterations() {
        return iterations;
    }

    public String encoded() {
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(key);
    }

    private static byte[] derive(String secret, byte[] salt, int iterations) {
        char[] chars = secret.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, KEY_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            // every Java 17 runtime has PBKDF2WithHmacSHA256; say so rather than hide it
            throw new IllegalStateException(ALGORITHM + " is not available in this Java runtime", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TokenHash that && iterations == that.iterations && Arrays.equals(salt, that.salt)
                && Arrays.equals(key, that.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    /** Never the key: this may end up in a log line. */
    @Override
    public String toString() {
        return SCHEME + "$" + iterations + "$...";
    }
}
