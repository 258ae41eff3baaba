package io.configstore.file;

import com.fasterxml.jackson.databind.JsonNode;
import io.configstore.error.NotFoundException;
import io.configstore.error.StorageException;
import io.configstore.memory.spi.StorageRows;
import io.configstore.model.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The {@code backups} directory: one file per change, {@code backup-<sequence>-<time>.json} or {@code .json.gz}
 * when larger than the compression threshold, each a complete store file (with its revision, time and checksum)
 * that a person can also copy back by hand. Only the newest {@code keep} are kept. Used only under the store's lock.
 */
final class BackupDirectory {
    static final String NAME = "backups";
    private static final Pattern FILE = Pattern.compile("(backup-(\\d{9,})-(\\d{8}T\\d{6}\\d{3}Z))\\.json(\\.gz)?");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path directory;
    private final int keep;
    private final long compressAbove;
    private final AtomicFileWriter writer;
    private final StoreFileFormat format;

    BackupDirectory(Path directory, int keep, long compressAbove, AtomicFileWriter writer, StoreFileFormat format) {
        this.directory = directory;
        this.keep = keep;
        this.compressAbove = compressAbove;
        this.writer = writer;
        this.format = format;
    }

    /** The directory the backups are in. */
    Path directory() {
        return directory;
    }

    /** Keeps {@code storeFile} (a complete store file) as the newest backup, then drops the oldest beyond the limit. */
    void keep(byte[] storeFile, Instant now) throws IOException {
        Files.createDirectories(directory);
        List<Entry> entries = entries();
        long sequence = entries.isEmpty() ? 1 : entries.get(entries.size() - 1).sequence + 1;
        boolean compress = storeFile.length > compressAbove;
        String name = String.format("backup-%09d-%s.json%s", sequence, TIME.format(now), compress ? ".gz" : "");
        writer.replace(directory.resolve(name), compress ? gzip(storeFile) : storeFile);
        List<Entry> all = entries();
        for (int i = 0; i < all.size() - keep; i++) {
            Files.deleteIfExists(all.get(i).file);
        }
    }

    /** Every backup, oldest first, with what it holds. */
    List<BackupInfo> list() throws IOException {
        List<BackupInfo> infos = new ArrayList<>();
        for (Entry entry : entries()) {
            infos.add(describe(entry));
        }
        return infos;
    }

    /**
     * The content of backup {@code id}, checked.
     *
     * @throws NotFoundException when there is no such backup
     * @throws StorageException when it is not a valid store file
     */
    StoreFileFormat.Content read(String id) throws IOException {
        Entry entry = entries().stream().filter(e -> e.id.equals(id)).findFirst()
                .orElseThrow(() -> new NotFoundException("backup", "-", id));
        try {
            return format.read(entry.file, content(entry));
        } catch (CorruptStoreFileException e) {
            throw new StorageException("backup " + entry.file + " is corrupt (" + e.getMessage() + "); choose"
                    + " another from backups()");
        }
    }

    /** The newest backup that reads back as a valid store file with a matching checksum, if any. */
    Optional<Restorable> newestValid() throws IOException {
        List<Entry> entries = entries();
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry entry = entries.get(i);
            try {
                byte[] bytes = content(entry);
                StoreFileFormat.Content content = format.read(entry.file, bytes);
                if (content.checksumMatches()) {
                    return Optional.of(new Restorable(entry.id, entry.file, bytes, content.rows()));
                }
            } catch (CorruptStoreFileException | IOException | StorageException e) {
                // Not valid: try the next older one.
            }
        }
        return Optional.empty();
    }

    /** A backup chosen for recovery: its uncompressed bytes and rows. */
    record Restorable(String id, Path file, byte[] bytes, StorageRows rows) {
    }

    private BackupInfo describe(Entry entry) {
        long size;
        try {
            size = Files.size(entry.file);
        } catch (IOException e) {
            size = -1;
        }
        long revision = -1;
        String checksum = null;
        boolean valid = false;
        try {
            byte[] bytes = content(entry);
            JsonNode root = Json.readWhole("backup " + entry.file, bytes, "a configstore store file");
            checksum = root.path("checksum").asText(null);
            revision = root.path("revision").asLong(-1);
            valid = format.read(entry.file, bytes).checksumMatches();
        } catch (IOException | CorruptStoreFileException | RuntimeException e) {
            valid = false;
        }
        return new BackupInfo(entry.id, entry.createdAt, size, entry.compressed, revision, checksum, valid);
    }

    private static byte[] content(Entry entry) throws IOException {
        byte[] bytes = Files.readAllBytes(entry.file);
        if (!entry.compressed) {
            return bytes;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private List<Entry> entries() throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return entries;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                Matcher m = FILE.matcher(file.getFileName().toString());
                if (m.matches()) {
                    entries.add(new Entry(m.group(1), Long.parseLong(m.group(2)),
                            Instant.from(TIME.parse(m.group(3))), m.group(4) != null, file));
                }
            }
        }
        entries.sort(Comparator.comparingLong(e -> e.sequence));
        return entries;
    }

    private record Entry(String id, long sequence, Instant createdAt, boolean compressed, Path file) {
    }
}
