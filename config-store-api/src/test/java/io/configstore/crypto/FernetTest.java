package io.configstore.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.error.CryptoException;
import io.configstore.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class FernetTest {
    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
    private static final FernetKey KEY = FernetKey.parse("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=");

    private static Fernet at(Instant now) {
        return Fernet.of(KEY, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void token_round_trips_and_carries_its_timestamp() {
        String token = at(T0).encrypt(utf8("clé 🔑"));
        assertThat(token).startsWith("gAAAAA");
        assertThat(Base64.getUrlDecoder().decode(token)[0]).isEqualTo((byte) 0x80);
        assertThat(at(T0).timestampOf(token)).isEqualTo(T0);
        assertThat(new String(at(T0).decrypt(token), StandardCharsets.UTF_8)).isEqualTo("clé 🔑");
    }

    @Test
    void empty_message_round_trips() {
        assertThat(at(T0).decrypt(at(T0).encrypt(new byte[0]))).isEmpty();
    }

    @Test
    void token_within_its_ttl_decrypts_and_one_beyond_it_is_expired() {
        String token = at(T0).encrypt(utf8("m"));
        assertThat(at(T0.plusSeconds(60)).decrypt(token, Duration.ofSeconds(60))).isEqualTo(utf8("m"));
        assertThatThrownBy(() -> at(T0.plusSeconds(61)).decrypt(token, Duration.ofSeconds(60)))
                .isInstanceOf(CryptoException.class).hasMessageContaining("expired");
    }

    @Test
    void token_from_the_future_is_accepted_within_the_skew_only() {
        String token = at(T0).encrypt(utf8("m"));
        assertThat(at(T0.minusSeconds(60)).decrypt(token, Duration.ofSeconds(10))).isEqualTo(utf8("m"));
        assertThatThrownBy(() -> at(T0.minusSeconds(61)).decrypt(token, Duration.ofSeconds(10)))
                .isInstanceOf(CryptoException.class).hasMessageContaining("future");
        Fernet strict = at(T0.minusSeconds(5)).withMaxClockSkew(Duration.ZERO);
        assertThatThrownBy(() -> strict.decrypt(token, Duration.ofSeconds(10)))
                .isInstanceOf(CryptoException.class).hasMessageContaining("future");
        assertThatThrownBy(() -> at(T0).withMaxClockSkew(Duration.ofSeconds(-1)))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void without_ttl_neither_age_nor_future_is_checked() {
        String token = at(T0).encrypt(utf8("m"));
        assertThat(at(T0.plus(Duration.ofDays(3650))).decrypt(token)).isEqualTo(utf8("m"));
        assertThat(at(T0.minus(Duration.ofDays(1))).decrypt(token)).isEqualTo(utf8("m"));
    }

    @Test
    void token_of_another_key_fails_its_hmac() {
        String token = Fernet.of(FernetKey.generate()).encrypt(utf8("m"));
        assertThatThrownBy(() -> at(T0).decrypt(token)).isInstanceOf(CryptoException.class)
                .hasMessageContaining("HMAC");
    }

    @Test
    void unknown_version_byte_is_rejected() {
        byte[] raw = Base64.getUrlDecoder().decode(at(T0).encrypt(utf8("m")));
        raw[0] = (byte) 0x81;
        String token = Base64.getUrlEncoder().encodeToString(raw);
        assertThatThrownBy(() -> at(T0).decrypt(token)).isInstanceOf(CryptoException.class)
                .hasMessageContaining("version byte 0x81");
    }

    @Test
    void unpadded_token_is_rejected() {
        String token = at(T0).encrypt(utf8("m"));
        assertThatThrownBy(() -> at(T0).decrypt(token.replace("=", ""))).isInstanceOf(CryptoException.class)
                .hasMessageContaining("padded");
        assertThatThrownBy(() -> at(T0).decrypt(null)).isInstanceOf(CryptoException.class);
    }

    @Test
    void malformed_keys_are_rejected_without_echoing_them() {
        String notBase64 = "this is not a key at all!!!!!!!!!!!!!!!!!!!";
        assertThatThrownBy(() -> FernetKey.parse(notBase64)).isInstanceOf(ValidationException.class)
                .satisfies(error -> assertThat(error.getMessage()).doesNotContain(notBase64));
        String shortKey = Base64.getUrlEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> FernetKey.parse(shortKey)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("32 bytes");
    }

    @Test
    void key_encoded_form_round_trips_and_to_string_is_redacted() {
        FernetKey key = FernetKey.generate();
        String encoded = key.encoded();
        assertThat(FernetKey.parse(encoded).encoded()).isEqualTo(encoded);
        assertThat(key.toString()).doesNotContain(encoded).contains("redacted");
        assertThat(Fernet.of(key).toString()).doesNotContain(encoded);
        key.destroy();
        assertThatThrownBy(key::encoded).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void the_longest_ttl_and_skew_and_the_latest_timestamp_saturate_instead_of_overflowing() {
        Duration longest = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
        String token = at(T0).encrypt(utf8("m"));
        assertThat(at(T0.plusSeconds(3600)).decrypt(token, longest)).isEqualTo(utf8("m"));
        assertThat(at(T0.minusSeconds(3600)).withMaxClockSkew(longest).decrypt(token, Duration.ofSeconds(1)))
                .isEqualTo(utf8("m"));
        String latest = at(T0).encrypt(utf8("m"), Instant.MAX, new byte[16]);
        assertThatThrownBy(() -> at(T0).decrypt(latest, longest))
                .isInstanceOf(CryptoException.class).hasMessageContaining("future");
        assertThat(at(T0).withMaxClockSkew(longest).decrypt(latest, longest)).isEqualTo(utf8("m"));
    }
}
