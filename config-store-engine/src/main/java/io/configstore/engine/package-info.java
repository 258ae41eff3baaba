/**
 * The engine every backend runs: the store rules written once (idempotent writes, change dispatch, key checks,
 * batched secret maintenance) over a small storage interface. For backend modules; not API.
 */
package io.configstore.engine;
