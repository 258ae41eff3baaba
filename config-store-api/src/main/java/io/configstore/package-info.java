/**
 * The entry point: {@link io.configstore.StoreSets} opens a store set from a URL ({@code sqlite:path},
 * {@code postgres:...}, {@code file:dir}, {@code memory:}) through whichever {@link io.configstore.spi.StoreSetProvider}
 * on the class path (or module path) accepts it. API.
 */
package io.configstore;
