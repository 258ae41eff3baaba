/**
 * The service layer: {@link io.configstore.service.ConfigurationService} serves the stores of one tenant from an
 * in-memory snapshot kept fresh by the change feed and a time-to-live, writes through to the stores, and coalesces
 * API key usage.
 *
 * <p>Structure kept ready for serving while the store is away (issue 11): each section's snapshot is one immutable
 * value with its generation and load time ({@code CachedSection}), loaded through one method per section, so that a
 * status (what is served, since when, at which generation) and a last-known-good copy can be built on them without
 * changing the read path.
 */
package io.configstore.service;
