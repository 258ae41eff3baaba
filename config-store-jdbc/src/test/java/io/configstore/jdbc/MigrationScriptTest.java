package io.configstore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.error.SchemaMigrationException;
import org.junit.jupiter.api.Test;

class MigrationScriptTest {
    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void checksum_ignores_a_byte_order_mark_and_line_endings() {
        String unix = MigrationScript.checksum(MigrationScript.normalize("CREATE TABLE a (x INT);\nSELECT 1;\n"));
        String windows = MigrationScript.checksum(
                MigrationScript.normalize("\uFEFFCREATE TABLE a (x INT);\r\nSELECT 1;\r\n"));
        String oldMac = MigrationScript.checksum(MigrationScript.normalize("CREATE TABLE a (x INT);\rSELECT 1;\r"));
        assertThat(windows).isEqualTo(unix).hasSize(64);
        assertThat(oldMac).isEqualTo(unix);
    }

    @Test
    void checksum_changes_with_the_script() {
        assertThat(MigrationScript.checksum("SELECT 1;")).isNotEqualTo(MigrationScript.checksum("SELECT 2;"));
    }

    @Test
    void reads_version_description_and_statements_from_the_resource() {
        MigrationScript script = MigrationScript.load(loader, "db/test/base/V1__create_widgets.sql");
        assertThat(script.version()).isEqualTo(1);
        assertThat(script.description()).isEqualTo("create widgets");
        assertThat(script.label()).isEqualTo("V1 (create widgets)");
        assertThat(script.statements()).hasSize(2);
    }

    @Test
    void a_missing_resource_is_an_error() {
        assertThatThrownBy(() -> MigrationScript.load(loader, "db/test/base/V9__missing.sql"))
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("not on the classpath");
    }

    @Test
    void a_misnamed_resource_is_an_error() {
        assertThatThrownBy(() -> MigrationScript.load(loader, "db/test/base/create_widgets.sql"))
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("V<version>__<description>.sql");
    }
}
