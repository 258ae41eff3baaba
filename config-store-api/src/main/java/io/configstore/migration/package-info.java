/**
 * The schema migrator contract. Backends with a schema ship their own migrations and implement it.
 */
package io.configstore.migration;
