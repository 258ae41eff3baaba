/**
 * The in-memory backend: {@link io.configstore.memory.InMemoryStoreSet} (URL scheme {@code memory:}) and
 * {@link io.configstore.memory.InMemoryStorage}, the data several store sets can share. API. Its storage author path
 * is {@code io.configstore.memory.spi}.
 */
package io.configstore.memory;
