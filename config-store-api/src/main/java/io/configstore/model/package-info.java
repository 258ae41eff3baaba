/**
 * Immutable value types that cross the store interfaces, and the JSON and time rules every backend applies. Each
 * record validates its fields on construction. API.
 */
package io.configstore.model;
