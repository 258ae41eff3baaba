/**
 * The JSON form of entities in history snapshots and snapshot files
 * ({@link io.configstore.internal.snapshot.EntitySnapshots}), shared by the engine, the service, the command-line tool
 * and the contract kit. Not API and not SPI: exported only to configstore's modules.
 */
package io.configstore.internal.snapshot;
