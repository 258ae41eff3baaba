package io.configstore.memory;

/** The unique key of a configuration document: (tenant, name). */
record DocumentKey(String tenantId, String name) {
}
