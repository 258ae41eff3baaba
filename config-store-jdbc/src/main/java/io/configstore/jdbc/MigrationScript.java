package io.configstore.jdbc;

import io.configstore.error.SchemaMigrationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One migration as the code knows it: read from the classpath, split into statements, with its checksum.
 *
 * @param version from the file name {@code V<version>__<description>.sql}
 * @param description the file name's description, underscores read as spaces
 * @param resource the classpath resource it was read from
 * @param checksum SHA-256 (hex) of the script without a leading BOM and with line endings normalized to LF, so that a
 *     checkout with other line endings does not count as a change
 * @param statements the script's statements, in order
 */
record MigrationScript(int version, String description, String resource, String checksum, List<String> statements) {
    private static final Pattern FILE_NAME = Pattern.compile("V([0-9]+)__([A-Za-z0-9_]+)\\.sql");

    /** Names the migration in messages: {@code V1 (initial schema)}. */
    String label() {
        return "V" + version + " (" + description + ")";
    }

    /** Loads and checks one migration resource. */
    static MigrationScript load(ClassLoader loader, String resource) {
        String fileName = resource.substring(resource.lastIndexOf('/') + 1);
        Matcher name = FILE_NAME.matcher(fileName);
        if (!name.matches()) {
            throw new SchemaMigrationException("migration resource '" + resource + "' is not named"
                    + " V<version>__<description>.sql (letters, digits and underscores); rename it");
        }
        int version = Integer.parseInt(name.group(1));
        String description = name.group(2).replace('_', ' ');
        String text;
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new SchemaMigrationException("migration resource '" + resource + "' is not on the classpath;"
                        + " the configstore jar is incomplete: rebuild or re-download it");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SchemaMigrationException("migration resource '" + resource + "' could not be read", e);
        }
        String normalized = normalize(text);
        List<String> statements;
        try {
            statements = SqlScript.split(normalized);
        } catch (IllegalArgumentException e) {
            throw new SchemaMigrationException("migration V" + version + " (" + description + ") in '" + resource
                    + "' cannot be split into statements: " + e.getMessage() + "; fix the script");
        }
        return new MigrationScript(version, description, resource, checksum(normalized), statements);
    }

    /** Removes a leading byte-order mark and turns CRLF and CR into LF. */
    static String normalize(String text) {
        String withoutBom = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return withoutBom.replace("\r\n", "\n").replace('\r', '\n');
    }

    /** SHA-256, as lower-case hex, of {@code normalized} text encoded as UTF-8. */
    static String checksum(String normalized) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(normalized.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
