package io.configstore.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a migration script into statements, because a driver's {@code execute} of a multi-statement string may run
 * only the first one. Semicolons inside quotes ({@code '...'}, {@code "..."}), comments ({@code --},
 * {@code /* *}{@code /}) and dollar quotes ({@code $$...$$}, {@code $tag$...$tag$}) do not end a statement. Comments
 * are dropped; statements that hold nothing else are skipped.
 *
 * <p>Not supported: SQLite trigger bodies ({@code BEGIN ... END} with inner semicolons); configstore's migrations
 * have none.
 */
final class SqlScript {
    private static final Pattern DOLLAR_TAG = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)?\\$");

    private SqlScript() {
    }

    /**
     * The statements of {@code script}, trimmed, without their terminating semicolons.
     *
     * @throws IllegalArgumentException naming the line when a quote, comment or dollar quote is not closed
     */
    static List<String> split(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean hasContent = false;
        int i = 0;
        int length = script.length();
        while (i < length) {
            char c = script.charAt(i);
            char next = i + 1 < length ? script.charAt(i + 1) : '\0';
            if (c == '-' && next == '-') {
                int end = script.indexOf('\n', i);
                i = end < 0 ? length : end;
            } else if (c == '/' && next == '*') {
                int end = script.indexOf("*/", i + 2);
                if (end < 0) {
                    throw unclosed("block comment", script, i);
                }
                current.append(' ');
                i = end + 2;
            } else if (c == '\'' || c == '"' || c == '`') {
                int end = closingQuote(script, i, c);
                current.append(script, i, end);
                hasContent = true;
                i = end;
            } else if (c == '$' && (i == 0 || !isIdentifierPart(script.charAt(i - 1)))) {
                Matcher tag = DOLLAR_TAG.matcher(script).region(i, length);
                if (tag.lookingAt()) {
                    String delimiter = tag.group();
                    int close = script.indexOf(delimiter, tag.end());
                    if (close < 0) {
                        throw unclosed("dollar quote " + delimiter, script, i);
                    }
                    int end = close + delimiter.length();
                    current.append(script, i, end);
                    hasContent = true;
                    i = end;
                } else {
                    current.append(c);
                    hasContent = true;
                    i++;
                }
            } else if (c == ';') {
                if (hasContent) {
                    statements.add(current.toString().strip());
                }
                current.setLength(0);
                hasContent = false;
                i++;
            } else {
                current.append(c);
                hasContent |= !Character.isWhitespace(c);
                i++;
            }
        }
        if (hasContent) {
            statements.add(current.toString().strip());
        }
        return List.copyOf(statements);
    }

    /** The index just past the quote that closes the one at {@code start}; a doubled quote is an escaped one. */
    private static int closingQuote(String script, int start, char quote) {
        int i = start + 1;
        while (i < script.length()) {
            if (script.charAt(i) == quote) {
                if (i + 1 < script.length() && script.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        throw unclosed("quote " + quote, script, start);
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static IllegalArgumentException unclosed(String what, String script, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (script.charAt(i) == '\n') {
                line++;
            }
        }
        return new IllegalArgumentException("the " + what + " opened on line " + line + " is never closed");
    }
}
