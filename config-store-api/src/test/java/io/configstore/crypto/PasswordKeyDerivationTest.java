package io.configstore.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

class PasswordKeyDerivationTest {
    private static final PasswordKeyDerivation WEAK_ALLOWED = PasswordKeyDerivation.allowingWeakParameters();

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static byte[] salt(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void pbkdf2_hmac_sha256_matches_rfc7914_known_answers() {
        // RFC 7914, section 11: PBKDF2-HMAC-SHA256 test vectors (also checked with Python's hashlib).
        assertThat(hex(WEAK_ALLOWED.derive("passwd".toCharArray(), KdfParameters.pbkdf2(1, salt("salt")), 64)))
                .isEqualTo("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                        + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
        assertThat(hex(WEAK_ALLOWED.derive("Password".toCharArray(), KdfParameters.pbkdf2(80_000, salt("NaCl")), 64)))
                .isEqualTo("4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
                        + "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d");
    }

    @Test
    void bouncy_castle_argon2id_matches_rfc9106_known_answer() {
        // RFC 9106, section 5.3 (Argon2id, version 0x13), with the builder settings the derivation uses.
        byte[] password = new byte[32];
        Arrays.fill(password, (byte) 1);
        byte[] saltBytes = new byte[16];
        Arrays.fill(saltBytes, (byte) 2);
        byte[] secret = new byte[8];
        Arrays.fill(secret, (byte) 3);
        byte[] ad = new byte[12];
        Arrays.fill(ad, (byte) 4);
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(32).withIterations(3)
                .withParallelism(4).withSalt(saltBytes).withSecret(secret).withAdditional(ad).build());
        byte[] tag = new byte[32];
        generator.generateBytes(password, tag);
        assertThat(hex(tag)).isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    @Test
    void default_argon2id_parameters_are_owasp_minimum_and_derive_a_deterministic_key() {
        KdfParameters defaults = KdfParameters.argon2idDefaults();
        assertThat(defaults.toPhcString()).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(defaults.salt()).hasSize(16);
        assertThat(defaults.isBelowRecommendedMinimum()).isFalse();
        char[] password = "operator password".toCharArray();
        byte[] first = PasswordKeyDerivation.standard().deriveKey(password, defaults);
        byte[] second = PasswordKeyDerivation.standard().deriveKey(password, KdfParameters.parse(defaults.toPhcString()));
        assertThat(first).hasSize(32).isEqualTo(second);
        assertThat(PasswordKeyDerivation.standard().deriveKey(password, KdfParameters.argon2idDefaults()))
                .as("a fresh salt gives another key").isNotEqualTo(first);
    }

    @Test
    void pbkdf2_default_is_600000_iterations() {
        KdfParameters defaults = KdfParameters.pbkdf2Defaults();
        assertThat(defaults.iterations()).isEqualTo(600_000);
        assertThat(defaults.toPhcString()).startsWith("$pbkdf2-sha256$i=600000$");
        assertThat(defaults.isBelowRecommendedMinimum()).isFalse();
    }

    @Test
    void weak_parameters_are_refused_unless_explicitly_allowed() {
        byte[] goodSalt = new byte[16];
        for (KdfParameters weak : new KdfParameters[] {
                KdfParameters.pbkdf2(100_000, goodSalt),
                KdfParameters.argon2id(1024, 2, 1, goodSalt),
                KdfParameters.argon2id(19_456, 1, 1, goodSalt),
                KdfParameters.pbkdf2(600_000, new byte[8])}) {
            assertThat(weak.isBelowRecommendedMinimum()).as(weak.toString()).isTrue();
            assertThatThrownBy(() -> PasswordKeyDerivation.standard().deriveKey("pw".toCharArray(), weak))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("allowingWeakParameters");
        }
        assertThat(WEAK_ALLOWED.deriveKey("pw".toCharArray(), KdfParameters.argon2id(64, 1, 1, goodSalt)))
                .hasSize(32);
    }

    @Test
    void empty_password_is_refused() {
        assertThatThrownBy(() -> WEAK_ALLOWED.deriveKey(new char[0], KdfParameters.pbkdf2(1, salt("salt"))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("empty");
    }

    @Test
    void phc_strings_round_trip() {
        byte[] saltBytes = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
        KdfParameters argon2 = KdfParameters.argon2id(65_536, 3, 4, saltBytes);
        assertThat(argon2.toPhcString()).isEqualTo("$argon2id$v=19$m=65536,t=3,p=4$ABEiM0RVZneImaq7zN3u/w");
        assertThat(KdfParameters.parse(argon2.toPhcString())).isEqualTo(argon2);
        KdfParameters pbkdf2 = KdfParameters.pbkdf2(100_000, saltBytes);
        assertThat(KdfParameters.parse(pbkdf2.toPhcString())).isEqualTo(pbkdf2);
        assertThat(argon2.toString()).doesNotContain("ABEiM0RVZneImaq7zN3u").contains("16 bytes");
    }

    @Test
    void malformed_or_out_of_bounds_parameters_are_rejected() {
        assertThatThrownBy(() -> KdfParameters.parse("$argon2i$v=19$m=19456,t=2,p=1$c2FsdA"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("not in a known form");
        assertThatThrownBy(() -> KdfParameters.parse("$argon2id$v=19$m=99999999999,t=2,p=1$c2FsdA"))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> KdfParameters.parse("$argon2id$v=19$m=9999999,t=2,p=1$c2FsdA"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("memory");
        assertThatThrownBy(() -> KdfParameters.argon2id(19_456, 0, 1, new byte[16]))
                .isInstanceOf(ValidationException.class).hasMessageContaining("iterations");
        assertThatThrownBy(() -> KdfParameters.pbkdf2(0, new byte[16])).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> KdfParameters.pbkdf2(1000, new byte[0])).isInstanceOf(ValidationException.class)
                .hasMessageContaining("salt");
    }
}
