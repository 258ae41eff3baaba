/**
 * Immutable value types that cross the store interfaces, and the argument and JSON rules every backend applies.
 * Each record validates its fields on construction.
 */
package io.configstore.model;
