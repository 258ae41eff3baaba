/**
 * Helpers of configstore's own tests (child JVMs, a TCP proxy that cuts connections): not part of the contract kit,
 * exported only to configstore's modules, and changed without notice.
 */
package io.configstore.testkit.internal;
