package io.configstore.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads what Python's {@code cryptography} package wrote: the fixture and the script that made it are in
 * {@code src/test/resources/python/}; Python is not needed to run these tests.
 */
class PythonCompatibilityTest {
    private static final SecretBinding ROW = new SecretBinding("default", "openai", "imported", "row-7");

    static JsonNode fixtures() throws IOException {
        try (InputStream in = PythonCompatibilityTest.class.getResourceAsStream("/python/python-fixtures.json")) {
            assertThat(in).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    static List<JsonNode> tokens() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        fixtures().get("fernet_tokens").forEach(out::add);
        return out;
    }

    @ParameterizedTest
    @MethodSource("tokens")
    void decrypts_a_token_python_fernet_wrote(JsonNode token) throws IOException {
        Fernet fernet = Fernet.of(FernetKey.parse(fixtures().get("fernet_key").asText()));
        byte[] message = fernet.decrypt(token.get("token").asText());
        assertThat(new String(message, StandardCharsets.UTF_8)).isEqualTo(token.get("plaintext").asText());
        assertThat(fernet.timestampOf(token.get("token").asText()))
                .isEqualTo(Instant.ofEpochSecond(token.get("timestamp").asLong()));
    }

    @ParameterizedTest
    @MethodSource("tokens")
    void python_token_taken_over_into_the_key_ring_decrypts_bound_to_its_row(JsonNode token) throws IOException {
        FernetKey key = FernetKey.parse(fixtures().get("fernet_key").asText());
        KeyRing ring = KeyRing.of(MasterKey.generateAes256("k2"));
        ring.addKey(MasterKey.fernet("python", key));
        String stored = ring.wrapFernetToken("python", token.get("token").asText(), ROW);
        assertThat(ring.decrypt(stored, ROW).reveal()).isEqualTo(token.get("plaintext").asText());
        String rewrapped = ring.rewrap(stored, ROW);
        assertThat(ring.keyIdOf(rewrapped)).isEqualTo("k2");
        assertThat(ring.decrypt(rewrapped, ROW).reveal()).isEqualTo(token.get("plaintext").asText());
    }

    @Test
    void decrypts_a_token_whose_key_python_derived_with_pbkdf2_at_100000_iterations() throws IOException {
        JsonNode fixture = fixtures().get("pbkdf2_fernet");
        KdfParameters parameters = KdfParameters.pbkdf2(fixture.get("iterations").asInt(),
                Base64.getDecoder().decode(fixture.get("salt_base64").asText()));
        byte[] derived = PasswordKeyDerivation.allowingWeakParameters()
                .deriveKey(fixture.get("password").asText().toCharArray(), parameters);
        FernetKey key = FernetKey.fromBytes(derived);
        assertThat(key.encoded()).isEqualTo(fixture.get("derived_key").asText());
        byte[] message = Fernet.of(key).decrypt(fixture.get("token").asText());
        assertThat(new String(message, StandardCharsets.UTF_8)).isEqualTo(fixture.get("plaintext").asText());
    }

    @Test
    void argon2id_matches_python_cryptography_including_the_default_parameters() throws IOException {
        int checked = 0;
        boolean sawDefaults = false;
        for (JsonNode vector : fixtures().get("argon2id")) {
            KdfParameters parameters = KdfParameters.argon2id(vector.get("memory_kib").asInt(),
                    vector.get("iterations").asInt(), vector.get("parallelism").asInt(),
                    Base64.getDecoder().decode(vector.get("salt_base64").asText()));
            sawDefaults |= !parameters.isBelowRecommendedMinimum()
                    && parameters.memoryKiB() == KdfParameters.ARGON2_MIN_MEMORY_KIB;
            byte[] key = PasswordKeyDerivation.allowingWeakParameters()
                    .deriveKey(vector.get("password").asText().toCharArray(), parameters);
            assertThat(HexFormat.of().formatHex(key)).as(parameters.toString())
                    .isEqualTo(vector.get("key_hex").asText());
            checked++;
        }
        assertThat(checked).isEqualTo(3);
        assertThat(sawDefaults).isTrue();
    }
}
