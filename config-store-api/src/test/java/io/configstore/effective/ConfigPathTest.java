package io.configstore.effective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.error.ValidationException;
import org.junit.jupiter.api.Test;

class ConfigPathTest {
    @Test
    void paths_round_trip_through_text_including_odd_keys() {
        ConfigPath path = ConfigPath.root().child("labels").child("team.name").child(2).child("say \"hi\"");

        assertThat(path.toString()).isEqualTo("labels[\"team.name\"][2][\"say \\\"hi\\\"\"]");
        assertThat(ConfigPath.parse(path.toString())).isEqualTo(path);
        assertThat(ConfigPath.parse("hosts[0].name")).isEqualTo(ConfigPath.root().child("hosts").child(0)
                .child("name"));
        assertThat(ConfigPath.parse("a.b").startsWith(ConfigPath.parse("a"))).isTrue();
        assertThat(ConfigPath.parse("ab").startsWith(ConfigPath.parse("a"))).isFalse();
        assertThat(ConfigPath.parse("")).isEqualTo(ConfigPath.root());
    }

    @Test
    void malformed_paths_are_validation_errors_saying_where() {
        assertThatThrownBy(() -> ConfigPath.parse("a..b")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("at character 2");
        assertThatThrownBy(() -> ConfigPath.parse("a[x]")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("list index");
        assertThatThrownBy(() -> ConfigPath.parse("a[1")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> ConfigPath.parse(".a")).isInstanceOf(ValidationException.class);
    }
}
