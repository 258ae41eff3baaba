package io.configstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.configstore.crypto.Secret;
import io.configstore.model.ApiKeyMetadata;
import io.configstore.model.ChangeContext;
import io.configstore.store.ApiKeyStore;
import io.configstore.store.StoreSet;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code configstore key ...}: API keys of a tenant. Secrets come from standard input or a prompt, never arguments. */
@Command(name = "key", mixinStandardHelpOptions = true,
        description = "Store, rotate, list and deactivate API keys. A secret is read from standard input, or typed at"
                + " a prompt on a terminal; never give it as an argument.",
        subcommands = {KeyCommands.Put.class, KeyCommands.Rotate.class, KeyCommands.ListKeys.class,
                KeyCommands.Deactivate.class})
final class KeyCommands {
    private KeyCommands() {
    }

    static ApiKeyMetadata find(ApiKeyStore keys, String type, String name) {
        return keys.listByType(type).stream().filter(key -> key.keyName().equals(name)).findFirst()
                .orElseThrow(() -> new CliNotFoundException("there is no API key '" + name + "' of type '" + type
                        + "' in tenant '" + keys.tenantId() + "'; see 'configstore key list'"));
    }

    /** Reads the secret as the terminal allows and wraps it, clearing every intermediate copy. */
    static Secret readSecret(ConfigstoreCli root, String what) {
        char[] chars = root.terminal().readSecret(what);
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] bytes = Arrays.copyOf(encoded.array(), encoded.limit());
        try {
            return Secret.ofUtf8(bytes);
        } finally {
            Arrays.fill(chars, '\0');
            Arrays.fill(bytes, (byte) 0);
            Arrays.fill(encoded.array(), (byte) 0);
        }
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Store a new API key; the secret is read from standard input or a prompt.")
    static final class Put extends WriteCommand {
        @Parameters(index = "0", paramLabel = "TYPE", description = "The provider type, such as openai.")
        String type;

        @Parameters(index = "1", paramLabel = "NAME", description = "The key's name, unique within the type.")
        String name;

        @Override
        void run() {
            ChangeContext change = change();
            try (Secret secret = readSecret(root(), "secret of API key " + type + "/" + name);
                 StoreSet stores = root().openCreating()) {
                ApiKeyMetadata stored = tenant(stores).apiKeys().store(type, name, secret, change);
                root().result(json(stored), "stored API key " + type + "/" + name + " (id " + stored.id()
                        + ", encrypted with master key '" + stored.encryptionKeyId() + "')");
            }
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Replace an API key's secret; the new one is read from standard input or a prompt.")
    static final class Rotate extends WriteCommand {
        @Parameters(index = "0", paramLabel = "TYPE")
        String type;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        void run() {
            ChangeContext change = change();
            try (StoreSet stores = root().open()) {
                ApiKeyStore keys = tenant(stores).apiKeys();
                ApiKeyMetadata found = find(keys, type, name);
                try (Secret secret = readSecret(root(), "new secret of API key " + type + "/" + name)) {
                    ApiKeyMetadata rotated = keys.rotate(found.id(), secret, change);
                    root().result(json(rotated), "rotated API key " + type + "/" + name + " (version "
                            + rotated.version() + ")");
                }
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the tenant's API keys (metadata only, never the secret).")
    static final class ListKeys extends CliCommand {
        @Option(names = "--type", description = "Only keys of this provider type.")
        String type;

        @Override
        void run() {
            try (StoreSet stores = root().open()) {
                ApiKeyStore keys = tenant(stores).apiKeys();
                List<ApiKeyMetadata> found = type == null ? keys.list() : keys.listByType(type);
                ArrayNode array = root().mapper().createArrayNode();
                StringBuilder text = new StringBuilder(String.format("%-12s %-16s %-7s %-8s %s%n", "TYPE", "NAME",
                        "ACTIVE", "VERSION", "MASTER KEY"));
                for (ApiKeyMetadata key : found) {
                    array.add(json(key));
                    text.append(String.format("%-12s %-16s %-7s %-8d %s%n", key.providerType(), key.keyName(),
                            key.active() ? "yes" : "no", key.version(), key.encryptionKeyId()));
                }
                root().result(array, found.isEmpty() ? "no API keys in tenant '" + root().tenant + "'"
                        : text.toString());
            }
        }
    }

    @Command(name = "deactivate", mixinStandardHelpOptions = true,
            description = "Mark an API key inactive, so that it is no longer handed out.")
    static final class Deactivate extends WriteCommand {
        @Parameters(index = "0", paramLabel = "TYPE")
        String type;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        void run() {
            ChangeContext change = change();
            try (StoreSet stores = root().open()) {
                ApiKeyStore keys = tenant(stores).apiKeys();
                ApiKeyMetadata updated = keys.deactivate(find(keys, type, name).id(), change);
                root().result(json(updated), "deactivated API key " + type + "/" + name);
            }
        }
    }
}
