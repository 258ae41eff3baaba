/**
 * Portable bundles: every tenant of a store set exported to one versioned JSON document (providers, documents, API keys
 * with their secrets re-encrypted under an export password), imported into any backend idempotently, with a dry run
 * that shows the differences first. {@link io.configstore.bundle.StoreBundle} is the entry point.
 */
package io.configstore.bundle;
