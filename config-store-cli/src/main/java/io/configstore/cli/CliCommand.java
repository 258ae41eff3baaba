package io.configstore.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ProviderConfig;
import io.configstore.store.TenantStores;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command shares: the root's options and output, and the JSON shape of stored entries. */
abstract class CliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    ConfigstoreCli root() {
        return (ConfigstoreCli) spec.root().userObject();
    }

    /** The exit code of a command that printed its result and still failed (doctor finding problems). */
    ExitCode exitCode = ExitCode.OK;

    @Override
    public final Integer call() {
        run();
        return exitCode.code();
    }

    /** Does the command's work; a failure is thrown, and printed with its exit code by the root. */
    abstract void run();

    ObjectNode object() {
        return root().mapper().createObjectNode();
    }

    ObjectNode json(ProviderConfig provider) {
        ObjectNode node = object();
        node.put("id", provider.id());
        node.put("tenantId", provider.tenantId());
        node.put("providerType", provider.providerType());
        node.put("name", provider.name());
        node.set("settings", provider.settings());
        node.put("isDefault", provider.isDefault());
        node.put("enabled", provider.enabled());
        node.put("priority", provider.priority());
        node.put("version", provider.version());
        node.put("updatedAt", text(provider.updatedAt()));
        node.put("changedBy", provider.changedBy());
        return node;
    }

    ObjectNode json(ApiKeyMetadata key) {
        ObjectNode node = object();
        node.put("id", key.id());
        node.put("tenantId", key.tenantId());
        node.put("providerType", key.providerType());
        node.put("keyName", key.keyName());
        node.put("active", key.active());
        node.put("version", key.version());
        node.put("encryptionKeyId", key.encryptionKeyId());
        node.put("createdAt", text(key.createdAt()));
        node.put("updatedAt", text(key.updatedAt()));
        node.put("lastUsedAt", text(key.lastUsedAt()));
        node.put("changedBy", key.changedBy());
        return node;
    }

    static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    TenantStores tenant(io.configstore.store.StoreSet stores) {
        return stores.forTenant(root().tenant);
    }
}
