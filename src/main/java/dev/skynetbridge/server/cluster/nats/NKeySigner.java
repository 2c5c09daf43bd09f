package dev.skynetbridge.server.cluster.nats;

import dev.skynetbridge.protocol.nats.NKeys;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Base64;

/**
 * Signs a server's nonce with a user's NKey (Ed25519, the JDK's own), as NATS's NKey and JWT logins ask: the
 * signature base64url without padding; {@link #publicKey()} is the {@code U...} key an NKey login names.
 */
public final class NKeySigner {

    private final PrivateKey privateKey;
    private final String publicKey;

    /** @param seed a user seed, {@code SU...} */
    public NKeySigner(String seed) {
        byte[] raw = NKeys.userSeed(seed);
        try {
            privateKey = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, raw));
            publicKey = NKeys.userPublicKey(publicKeyOf(raw));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no Ed25519 (Java 15+ has): " + e.getMessage(), e);
        }
    }

    public String publicKey() {
        return publicKey;
    }

    public String sign(byte[] nonce) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey);
            signature.update(nonce);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the NATS nonce: " + e.getMessage(), e);
        }
    }

    /**
     * The raw public key of a seed. The JDK derives it only while generating a pair, from the random bytes it draws:
     * a "random" source that yields the seed gives the pair of that seed.
     */
    static byte[] publicKeyOf(byte[] seed) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, new SeedAsRandom(seed));
        EdECPublicKey key = (EdECPublicKey) generator.generateKeyPair().getPublic();
        return rawPublicKey(key);
    }

    /** RFC 8032's encoding of a point: y little-endian, the top bit of the last byte x's oddness. */
    public static byte[] rawPublicKey(EdECPublicKey key) {
        byte[] bigEndian = key.getPoint().getY().toByteArray();
        byte[] raw = new byte[32];
        for (int i = 0; i < 32 && i < bigEndian.length; i++) {
            raw[i] = bigEndian[bigEndian.length - 1 - i];
        }
        if (key.getPoint().isXOdd()) {
            raw[31] |= (byte) 0x80;
        }
        return raw;
    }

    /** Yields the given bytes once: used only to have the JDK derive a pair from a known seed. */
    private static final class SeedAsRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final transient byte[] seed;

        SeedAsRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("the Ed25519 generator asked for " + bytes.length + " bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }
    }
}
