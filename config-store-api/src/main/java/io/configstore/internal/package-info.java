/**
 * Helpers shared by configstore's own modules: argument checks ({@link io.configstore.internal.Arguments}). Not API
 * and not SPI: the module exports this package only to configstore's modules, and it changes without notice. It
 * depends on {@code io.configstore.error} alone, so that every other package may use it.
 */
package io.configstore.internal;
