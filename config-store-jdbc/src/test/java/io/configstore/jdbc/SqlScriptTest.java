package io.configstore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlScriptTest {
    @Test
    void splitsOnSemicolonsAndDropsEmptyStatements() {
        assertThat(SqlScript.split("CREATE TABLE a (x INT);\n\n ;CREATE TABLE b (y INT);  \n"))
                .containsExactly("CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)");
    }

    @Test
    void keepsTheLastStatementWithoutATerminatingSemicolon() {
        assertThat(SqlScript.split("SELECT 1; SELECT 2")).containsExactly("SELECT 1", "SELECT 2");
    }

    @Test
    void semicolonsInsideQuotesDoNotEndAStatement() {
        assertThat(SqlScript.split("INSERT INTO t VALUES ('a;b', 'it''s; ok'); SELECT \"odd;name\" FROM t;"))
                .containsExactly("INSERT INTO t VALUES ('a;b', 'it''s; ok')", "SELECT \"odd;name\" FROM t");
    }

    @Test
    void commentsAreDroppedAndTheirSemicolonsIgnored() {
        assertThat(SqlScript.split("-- first; not a statement\nSELECT 1; /* block; comment */ SELECT 2;\n-- end"))
                .containsExactly("SELECT 1", "SELECT 2");
    }

    @Test
    void aScriptOfOnlyCommentsHasNoStatements() {
        assertThat(SqlScript.split("-- nothing here;\n/* nor; here */\n")).isEmpty();
    }

    @Test
    void dollarQuotedBodiesAreKeptWhole() {
        String function = "CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql";
        assertThat(SqlScript.split(function + "; SELECT $$a;b$$;"))
                .containsExactly(function, "SELECT $$a;b$$");
    }

    @Test
    void aDollarInsideAnIdentifierIsNotAQuote() {
        assertThat(SqlScript.split("SELECT a$b$ FROM t; SELECT 2")).containsExactly("SELECT a$b$ FROM t", "SELECT 2");
    }

    @Test
    void anUnclosedQuoteIsAnErrorNamingItsLine() {
        assertThatThrownBy(() -> SqlScript.split("SELECT 1;\nSELECT 'open;\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2");
    }

    @Test
    void anUnclosedBlockCommentOrDollarQuoteIsAnError() {
        assertThatThrownBy(() -> SqlScript.split("SELECT 1; /* never closed"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("block comment");
        assertThatThrownBy(() -> SqlScript.split("SELECT $x$ never closed"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$x$");
    }
}
