/**
 * The SPI: what a backend author implements, and host applications do not need.
 * {@link io.configstore.spi.StoreSetProvider} is the service a backend's jar registers (in {@code META-INF/services},
 * or with {@code provides} in its module-info), so that {@link io.configstore.StoreSets} opens it by URL, in code and
 * in the command-line tool, without changes to the library; {@link io.configstore.spi.IdempotencyLedger} and
 * {@link io.configstore.spi.IdempotencyRecord} are the small ledger behind idempotent writes. The rules themselves
 * live in config-store-engine.
 */
package io.configstore.spi;
