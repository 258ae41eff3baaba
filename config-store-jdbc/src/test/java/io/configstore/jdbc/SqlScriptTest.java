package io.configstore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlScriptTest {
    @Test
    void splits_on_semicolons_and_drops_empty_statements() {
        assertThat(SqlScript.split("CREATE TABLE a (x INT);\n\n ;CREATE TABLE b (y INT);  \n"))
                .containsExactly("CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)");
    }

    @Test
    void keeps_the_last_statement_without_a_terminating_semicolon() {
        assertThat(SqlScript.split("SELECT 1; SELECT 2")).containsExactly("SELECT 1", "SELECT 2");
    }

    @Test
    void semicolons_inside_quotes_do_not_end_a_statement() {
        assertThat(SqlScript.split("INSERT INTO t VALUES ('a;b', 'it''s; ok'); SELECT \"odd;name\" FROM t;"))
                .containsExactly("INSERT INTO t VALUES ('a;b', 'it''s; ok')", "SELECT \"odd;name\" FROM t");
    }

    @Test
    void comments_are_dropped_and_their_semicolons_ignored() {
        assertThat(SqlScript.split("-- first; not a statement\nSELECT 1; /* block; comment */ SELECT 2;\n-- end"))
                .containsExactly("SELECT 1", "SELECT 2");
    }

    @Test
    void a_script_of_only_comments_has_no_statements() {
        assertThat(SqlScript.split("-- nothing here;\n/* nor; here */\n")).isEmpty();
    }

    @Test
    void dollar_quoted_bodies_are_kept_whole() {
        String function = "CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql";
        assertThat(SqlScript.split(function + "; SELECT $$a;b$$;"))
                .containsExactly(function, "SELECT $$a;b$$");
    }

    @Test
    void a_dollar_inside_an_identifier_is_not_a_quote() {
        assertThat(SqlScript.split("SELECT a$b$ FROM t; SELECT 2")).containsExactly("SELECT a$b$ FROM t", "SELECT 2");
    }

    @Test
    void an_unclosed_quote_is_an_error_naming_its_line() {
        assertThatThrownBy(() -> SqlScript.split("SELECT 1;\nSELECT 'open;\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2");
    }

    @Test
    void an_unclosed_block_comment_or_dollar_quote_is_an_error() {
        assertThatThrownBy(() -> SqlScript.split("SELECT 1; /* never closed"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("block comment");
        assertThatThrownBy(() -> SqlScript.split("SELECT $x$ never closed"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$x$");
    }
}
