/**
 * The file backend: {@link io.configstore.file.FileStoreSet} (URL scheme {@code file:}), a directory of
 * human-readable JSON built on the in-memory engine, with backups and hand edits. API.
 */
package io.configstore.file;
