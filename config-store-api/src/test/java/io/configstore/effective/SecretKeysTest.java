package io.configstore.effective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.error.ValidationException;
import io.configstore.model.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretKeysTest {
    @Test
    void secret_looking_names_in_every_style_are_secret() {
        SecretKeys keys = SecretKeys.defaults();

        assertThat(List.of("apiKey", "api_key", "API-KEY", "password", "dbPassword", "clientSecret", "token",
                "accessToken", "credentials", "privateKey", "passphrase")).allMatch(keys::isSecret);
        assertThat(List.of("port", "keyName", "host", "tokenizer-mode")).filteredOn(keys::isSecret)
                .containsExactly("tokenizer-mode");
        assertThat(keys.isSecret(ConfigPath.parse("credentials.user"))).isTrue();
    }

    @Test
    void redaction_replaces_secret_values_at_any_depth() {
        String redacted = Json.write(SecretKeys.defaults().redact(Json.parseObject("t",
                "{\"a\":{\"password\":\"p\",\"list\":[{\"token\":\"t\"}]},\"port\":1}")));

        assertThat(redacted).isEqualTo("{\"a\":{\"password\":\"[redacted]\",\"list\":[{\"token\":\"[redacted]\"}]},"
                + "\"port\":1}");
    }

    @Test
    void a_fragment_without_letters_is_refused() {
        assertThatThrownBy(() -> SecretKeys.of(List.of("--"))).isInstanceOf(ValidationException.class);
    }
}
