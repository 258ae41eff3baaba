/**
 * The change feed: {@link io.configstore.store.StoreSet#subscribe} tells listeners of every committed change,
 * local or made elsewhere, after commit. The service layer's cache consumes it. API.
 */
package io.configstore.change;
