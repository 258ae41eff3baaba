/**
 * The contract kit every backend passes, ours or a third party's: implement
 * {@link io.configstore.testkit.StoreContractKit} with a {@link io.configstore.testkit.StoreBackend}. Helpers of
 * configstore's own tests are in {@code io.configstore.testkit.internal}, which is not part of the kit.
 */
package io.configstore.testkit;
