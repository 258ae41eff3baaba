/**
 * The in-memory engine's storage author path (SPI): a {@link io.configstore.memory.spi.StorageJournal} makes each
 * commit durable and reports changes made elsewhere, as {@link io.configstore.memory.spi.StorageRows}; the file
 * backend is built on it. Host applications do not need it.
 */
package io.configstore.memory.spi;
