package dev.skynetbridge.protocol.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** NKey text forms: seeds and public keys round-trip, checksums catch a wrong character. */
class NKeysTest {

    @Test
    void aUserSeedRoundTripsAndLooksLikeNatsOnes() {
        byte[] raw = new byte[32];
        new Random(7).nextBytes(raw);
        String seed = NKeys.userSeedText(raw);
        assertThat(seed).startsWith("SU").hasSize(58);
        assertThat(NKeys.userSeed(seed)).isEqualTo(raw);
        assertThat(NKeys.userPublicKey(raw)).startsWith("U").hasSize(56);
    }

    @Test
    void operatorAndAccountPublicKeysStartWithTheirRolesLetter() {
        byte[] raw = new byte[32];
        new Random(11).nextBytes(raw);
        assertThat(NKeys.publicKey(NKeys.Role.OPERATOR, raw)).startsWith("O").hasSize(56);
        assertThat(NKeys.publicKey(NKeys.Role.ACCOUNT, raw)).startsWith("A").hasSize(56);
        assertThat(NKeys.publicKey(NKeys.Role.USER, raw)).isEqualTo(NKeys.userPublicKey(raw));
        // The same key bytes under another role: only the prefix (and the checksum) differ.
        byte[] decoded = NKeys.base32Decode(NKeys.publicKey(NKeys.Role.ACCOUNT, raw));
        assertThat(decoded[0]).isZero();
        assertThat(Arrays.copyOfRange(decoded, 1, 33)).isEqualTo(raw);
    }

    @Test
    void aWrongCharacterAWrongTypeOrAWrongAlphabetIsRefusedWithAReason() {
        byte[] raw = new byte[32];
        String seed = NKeys.userSeedText(raw);
        String changed = seed.substring(0, 10) + (seed.charAt(10) == 'A' ? 'B' : 'A') + seed.substring(11);
        assertThatThrownBy(() -> NKeys.userSeed(changed)).hasMessageContaining("checksum");
        assertThatThrownBy(() -> NKeys.userSeed(NKeys.userPublicKey(raw))).hasMessageContaining("36 bytes");
        assertThatThrownBy(() -> NKeys.userSeed("SU0" + seed.substring(3))).hasMessageContaining("A-Z and 2-7");
    }

    @Test
    void crc16IsXmodemAndBase32IsRfc4648() {
        // CRC-16/XMODEM's check value: "123456789" gives 0x31C3.
        assertThat(NKeys.crc16("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9)).isEqualTo(0x31C3);
        // RFC 4648's test vectors, without padding.
        assertThat(NKeys.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
        assertThat(new String(NKeys.base32Decode("MZXW6YTBOI"), StandardCharsets.US_ASCII)).isEqualTo("foobar");
        assertThat(NKeys.base32("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MY");
    }
}
