package io.configstore.file;

import java.time.Instant;

/**
 * One backup of the store file, as {@link FileStoreSet#backups()} lists it.
 *
 * @param id pass it to {@link FileStoreSet#restore(String)}; also the file's name without its extension
 * @param createdAt when the backup was taken (just before the change that replaced this content)
 * @param sizeBytes the backup file's size on disk
 * @param compressed whether it is gzip-compressed ({@code .json.gz})
 * @param storeRevision the store file revision it holds
 * @param checksum the SHA-256 checksum of its content, as recorded in it ({@code sha256:<hex>})
 * @param valid whether it reads back as a valid store file whose content matches that checksum
 */
public record BackupInfo(String id, Instant createdAt, long sizeBytes, boolean compressed, long storeRevision,
                         String checksum, boolean valid) {
}
