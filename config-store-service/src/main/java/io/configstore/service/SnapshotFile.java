package io.configstore.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.crypto.SealedSecret;
import io.configstore.crypto.SecretBinding;
import io.configstore.error.StorageException;
import io.configstore.internal.Arguments;
import io.configstore.internal.snapshot.EntitySnapshots;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.model.ProviderConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The last-known-good snapshot file of a configuration service: one header line naming the format and the SHA-256
 * of the body, then the body, a JSON document holding a {@link LastKnownGood}.
 *
 * <p><b>Written atomically and privately.</b> {@link #write} writes a temporary file in the same directory (owner
 * read and write only, 0600, where the file system has POSIX permissions), forces it to disk, renames it over the
 * file and forces the directory: a reader sees the old snapshot or the new one, never a mix, also after a crash.
 *
 * <p><b>Verified before use.</b> {@link #read} refuses a file whose header is not ours, whose body does not match its
 * checksum (truncated, edited, damaged) or that does not parse. The checksum finds damage and accidental edits; it is
 * not a signature. Secrets stay as the store's ciphertexts, authenticated by its cipher.
 */
public final class SnapshotFile {
    /** The first word of every snapshot file. */
    static final String MAGIC = "configstore-snapshot";
    /** The format version this code writes and reads. */
    static final int FORMAT = 1;
    /** Files larger than this are refused unread. */
    static final long MAX_BYTES = 256L * 1024 * 1024;

    private SnapshotFile() {
    }

    /**
     * Writes {@code snapshot} to {@code file} atomically (see the class description), creating the directory.
     *
     * @throws StorageException when the file cannot be written; the previous snapshot, if any, stays
     */
    public static void write(Path file, LastKnownGood snapshot) {
        Arguments.requireNonNull("file", file);
        Arguments.requireNonNull("snapshot", snapshot);
        byte[] body = Json.write(toJson(snapshot)).getBytes(StandardCharsets.UTF_8);
        byte[] header = (MAGIC + " " + FORMAT + " sha256=" + sha256(body) + "\n").getBytes(StandardCharsets.UTF_8);
        Path absolute = file.toAbsolutePath();
        Path directory = absolute.getParent();
        Path temporary = directory.resolve("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(directory);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                restrict(temporary);
                channel.write(ByteBuffer.wrap(header));
                ByteBuffer rest = ByteBuffer.wrap(body);
                while (rest.hasRemaining()) {
                    channel.write(rest);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(directory);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // The temporary file is ours and harmless; the write error below is what matters.
            }
            throw new StorageException("writing the configuration snapshot " + absolute + " failed ("
                    + e.getClass().getSimpleName() + "); check that the directory exists, is writable and has space;"
                    + " the previous snapshot stays", e);
        }
    }

    /**
     * Reads and verifies the snapshot in {@code file}.
     *
     * @throws SnapshotRejectedException when the file is missing, unreadable, not a snapshot, damaged (checksum),
     *     truncated or of another format version; the message says which
     */
    public static LastKnownGood read(Path file) {
        Arguments.requireNonNull("file", file);
        byte[] all;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new SnapshotRejectedException("the snapshot " + file + " is larger than " + MAX_BYTES
                        + " bytes; it is not a configstore snapshot");
            }
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new SnapshotRejectedException("there is no snapshot at " + file, e);
        } catch (IOException e) {
            throw new SnapshotRejectedException("the snapshot " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + "); check its permissions", e);
        }
        int newline = -1;
        for (int i = 0; i < Math.min(all.length, 200); i++) {
            if (all[i] == '\n') {
                newline = i;
                break;
            }
        }
        String header = newline < 0 ? "" : new String(all, 0, newline, StandardCharsets.UTF_8);
        String[] parts = header.split(" ");
        if (parts.length != 3 || !parts[0].equals(MAGIC) || !parts[2].startsWith("sha256=")) {
            throw new SnapshotRejectedException("the file " + file + " is not a configstore snapshot (its first line"
                    + " is not a snapshot header); delete it or name another snapshot file");
        }
        if (!parts[1].equals(String.valueOf(FORMAT))) {
            throw new SnapshotRejectedException("the snapshot " + file + " has format " + parts[1] + "; this version"
                    + " reads format " + FORMAT);
        }
        byte[] body = java.util.Arrays.copyOfRange(all, newline + 1, all.length);
        if (!sha256(body).equals(parts[2].substring("sha256=".length()))) {
            throw new SnapshotRejectedException("the snapshot " + file + " is damaged: its content does not match its"
                    + " checksum (truncated, edited or corrupted); it is never served; delete it, and a new one is"
                    + " written after the next successful load");
        }
        try {
            return fromJson(Json.readWhole(file.toString(), body, "a configstore snapshot"));
        } catch (RuntimeException e) {
            // No cause kept: a parser's exception quotes the text it stopped at, and a snapshot holds settings.
            throw new SnapshotRejectedException("the snapshot " + file + " matches its checksum but cannot be read ("
                    + e.getClass().getSimpleName() + "); it was written by an incompatible version: delete it");
        }
    }

    /** The checksum of a body as the header holds it. */
    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void restrict(Path path) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): the file inherits the directory's access list.
        }
    }

    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory: the rename is as durable as that platform makes it.
        }
    }

    // Entities use the same JSON form as history snapshots (EntitySnapshots), so there is one codec to keep right.
    private static ObjectNode toJson(LastKnownGood snapshot) {
        ObjectNode root = Json.object();
        root.put("store", snapshot.storeIdentity());
        root.put("tenant", snapshot.tenantId());
        root.put("syncedAt", snapshot.syncedAt().toString());
        root.put("revisions", snapshot.revisions());
        ArrayNode providers = root.putArray("providers");
        snapshot.providers().forEach(p -> providers.add(EntitySnapshots.provider(p)));
        ArrayNode keys = root.putArray("apiKeys");
        for (ApiKeyMetadata k : snapshot.apiKeys()) {
            SealedSecret sealed = snapshot.sealed().get(k.id());
            ObjectNode n = EntitySnapshots.apiKey(k, sealed == null ? null : sealed.ciphertext());
            if (sealed != null) {
                n.put("masterKeyId", sealed.masterKeyId());
            }
            keys.add(n);
        }
        ObjectNode active = root.putObject("activeKeys");
        new TreeMap<>(snapshot.activeKeyIds()).forEach(active::put);
        ArrayNode documents = root.putArray("documents");
        snapshot.documents().forEach(d -> documents.add(EntitySnapshots.document(d)));
        return root;
    }

    private static LastKnownGood fromJson(JsonNode root) {
        List<ProviderConfig> providers = new ArrayList<>();
        for (JsonNode n : root.withArray("providers")) {
            providers.add(EntitySnapshots.toProvider((ObjectNode) n));
        }
        List<ApiKeyMetadata> keys = new ArrayList<>();
        Map<String, SealedSecret> sealed = new LinkedHashMap<>();
        for (JsonNode n : root.withArray("apiKeys")) {
            ApiKeyMetadata key = EntitySnapshots.toApiKey((ObjectNode) n);
            keys.add(key);
            if (n.hasNonNull(EntitySnapshots.CIPHERTEXT)) {
                sealed.put(key.id(), new SealedSecret(text(n, "masterKeyId"), new SecretBinding(key.tenantId(),
                        key.providerType(), key.keyName(), key.id()), text(n, EntitySnapshots.CIPHERTEXT)));
            }
        }
        Map<String, String> active = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.get("activeKeys").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            active.put(field.getKey(), field.getValue().asText());
        }
        List<ConfigDocument> documents = new ArrayList<>();
        for (JsonNode n : root.withArray("documents")) {
            documents.add(EntitySnapshots.toDocument((ObjectNode) n));
        }
        return new LastKnownGood(text(root, "store"), text(root, "tenant"), instant(root, "syncedAt"), providers,
                keys, active, sealed, documents);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        String value = text(node, field);
        return value == null ? null : Instant.parse(value);
    }

    /** A snapshot file that is missing, damaged, foreign or unreadable: it is never served. */
    public static final class SnapshotRejectedException extends StorageException {
        private static final long serialVersionUID = 1L;

        SnapshotRejectedException(String message) {
            super(message);
        }

        SnapshotRejectedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

}
