/**
 * The one exception hierarchy of configstore. Every public method throws only {@link
 * io.configstore.error.ConfigStoreException} subclasses for failures it knows about: never a raw {@code SQLException}
 * or {@code NullPointerException}. API.
 */
package io.configstore.error;
