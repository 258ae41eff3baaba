package io.configstore.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.configstore.error.CryptoException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every vector of the Fernet specification's generate.json, verify.json and invalid.json (see fernet/SOURCE.md). */
class FernetSpecVectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<JsonNode> generate() {
        return vectors("generate.json");
    }

    static List<JsonNode> verify() {
        return vectors("verify.json");
    }

    static List<JsonNode> invalid() {
        return vectors("invalid.json");
    }

    private static List<JsonNode> vectors(String name) {
        try (InputStream in = FernetSpecVectorsTest.class.getResourceAsStream("/fernet/" + name)) {
            assertThat(in).as(name).isNotNull();
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(in).forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Clock at(String now) {
        return Clock.fixed(OffsetDateTime.parse(now).toInstant(), ZoneOffset.UTC);
    }

    @Test
    void the_vector_files_hold_every_published_vector() {
        assertThat(generate()).hasSize(1);
        assertThat(verify()).hasSize(1);
        assertThat(invalid()).hasSize(11);
    }

    @ParameterizedTest
    @MethodSource("generate")
    void generates_the_specified_token(JsonNode vector) {
        byte[] iv = new byte[16];
        for (int i = 0; i < 16; i++) {
            iv[i] = (byte) vector.get("iv").get(i).asInt();
        }
        Fernet fernet = Fernet.of(FernetKey.parse(vector.get("secret").asText()));
        String token = fernet.encrypt(vector.get("src").asText().getBytes(StandardCharsets.UTF_8),
                OffsetDateTime.parse(vector.get("now").asText()).toInstant(), iv);
        assertThat(token).isEqualTo(vector.get("token").asText());
    }

    @ParameterizedTest
    @MethodSource("verify")
    void verifies_and_decrypts_the_specified_token(JsonNode vector) {
        Fernet fernet = Fernet.of(FernetKey.parse(vector.get("secret").asText()), at(vector.get("now").asText()));
        byte[] message = fernet.decrypt(vector.get("token").asText(),
                Duration.ofSeconds(vector.get("ttl_sec").asLong()));
        assertThat(new String(message, StandardCharsets.UTF_8)).isEqualTo(vector.get("src").asText());
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("invalid")
    void rejects_the_specified_invalid_token(JsonNode vector) {
        Fernet fernet = Fernet.of(FernetKey.parse(vector.get("secret").asText()), at(vector.get("now").asText()));
        assertThatThrownBy(() -> fernet.decrypt(vector.get("token").asText(),
                Duration.ofSeconds(vector.get("ttl_sec").asLong())))
                .as(vector.get("desc").asText())
                .isInstanceOf(CryptoException.class)
                .hasMessageContaining("Fernet token")
                .satisfies(error -> assertThat(error.getMessage()).doesNotContain(vector.get("secret").asText()));
    }
}
