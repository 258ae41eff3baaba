/**
 * Backends found by URL: {@link io.configstore.spi.StoreSetProvider} is the service a backend's jar registers in
 * {@code META-INF/services}, and {@link io.configstore.StoreSets} opens a store set from a URL through whichever
 * provider on the class path accepts it, so a custom backend works in code and in the command-line tool without
 * changes to the library.
 */
package io.configstore.spi;
