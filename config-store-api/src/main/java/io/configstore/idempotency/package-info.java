/**
 * Idempotent writes: a write whose {@link io.configstore.model.ChangeContext} carries an idempotency key is recorded
 * with its result, so that a retry returns the first result instead of writing again. One implementation,
 * {@link io.configstore.idempotency.IdempotentWrites}, over each backend's small
 * {@link io.configstore.idempotency.IdempotencyLedger}.
 */
package io.configstore.idempotency;
