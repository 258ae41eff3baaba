package io.configstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.model.ChangeContext;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import io.configstore.model.ProviderConfig;
import io.configstore.store.ProviderConfigStore;
import io.configstore.store.StoreSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code configstore provider ...}: provider configurations of a tenant. */
@Command(name = "provider", mixinStandardHelpOptions = true, description = "List and change provider configurations.",
        subcommands = {ProviderCommands.ListProviders.class, ProviderCommands.Add.class,
                ProviderCommands.Update.class, ProviderCommands.SetDefault.class, ProviderCommands.Remove.class})
final class ProviderCommands {
    private ProviderCommands() {
    }

    /** The provider of a type with a name, or a not-found error naming both. */
    static ProviderConfig find(ProviderConfigStore providers, String type, String name) {
        return providers.listByType(type).stream().filter(provider -> provider.name().equals(name)).findFirst()
                .orElseThrow(() -> new CliNotFoundException("there is no provider '" + name + "' of type '" + type
                        + "' in tenant '" + providers.tenantId() + "'; see 'configstore provider list'"));
    }

    static ObjectNode settings(String json) {
        return Json.parseObject("--settings", json);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenant's providers.")
    static final class ListProviders extends CliCommand {
        @Option(names = "--type", description = "Only providers of this type.")
        String type;

        @Override
        void run() {
            try (StoreSet stores = root().open()) {
                ProviderConfigStore providers = tenant(stores).providers();
                List<ProviderConfig> found = type == null ? providers.list() : providers.listByType(type);
                ArrayNode array = root().mapper().createArrayNode();
                StringBuilder text = new StringBuilder();
                text.append(String.format("%-12s %-16s %-8s %-8s %-8s %s%n", "TYPE", "NAME", "DEFAULT", "ENABLED",
                        "PRIORITY", "SETTINGS"));
                for (ProviderConfig provider : found) {
                    array.add(json(provider));
                    text.append(String.format("%-12s %-16s %-8s %-8s %-8d %s%n", provider.providerType(),
                            provider.name(), provider.isDefault() ? "yes" : "no", provider.enabled() ? "yes" : "no",
                            provider.priority(), provider.settings()));
                }
                root().result(array, found.isEmpty() ? "no providers in tenant '" + root().tenant + "'" : text
                        .toString());
            }
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a provider configuration.")
    static final class Add extends WriteCommand {
        @Parameters(index = "0", paramLabel = "TYPE", description = "The provider type, such as openai.")
        String type;

        @Parameters(index = "1", paramLabel = "NAME", description = "Its name, unique within the type.")
        String name;

        @Option(names = "--settings", paramLabel = "JSON", defaultValue = "{}",
                description = "Its settings, a JSON object (default: {}).")
        String settings;

        @Option(names = "--default", description = "Make it the default of its type.")
        boolean makeDefault;

        @Option(names = "--disabled", description = "Add it disabled.")
        boolean disabled;

        @Option(names = "--priority", defaultValue = "100",
                description = "Order among enabled providers, lowest first (default: ${DEFAULT-VALUE}).")
        int priority;

        @Override
        void run() {
            ChangeContext change = change();
            NewProviderConfig config = new NewProviderConfig(type, name, settings(settings), makeDefault, !disabled,
                    priority);
            try (StoreSet stores = root().openCreating()) {
                ProviderConfig created = tenant(stores).providers().create(config, change);
                root().result(json(created), "added provider " + type + "/" + name + " (id " + created.id() + ")"
                        + (created.isDefault() ? ", the default of its type" : ""));
            }
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Change a provider's settings, enabled flag, priority or name.")
    static final class Update extends WriteCommand {
        @Parameters(index = "0", paramLabel = "TYPE")
        String type;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Option(names = "--settings", paramLabel = "JSON", description = "Replace its settings with this JSON object.")
        String settings;

        @Option(names = "--enabled", negatable = true, description = "Enable (--enabled) or disable (--no-enabled).")
        Boolean enabled;

        @Option(names = "--priority", description = "Its new priority.")
        Integer priority;

        @Option(names = "--rename", paramLabel = "NEW_NAME", description = "Its new name.")
        String rename;

        @Override
        void run() {
            ChangeContext change = change();
            try (StoreSet stores = root().open()) {
                ProviderConfigStore providers = tenant(stores).providers();
                ProviderConfig edited = find(providers, type, name);
                if (settings != null) {
                    edited = edited.withSettings(settings(settings));
                }
                if (enabled != null) {
                    edited = edited.withEnabled(enabled);
                }
                if (priority != null) {
                    edited = edited.withPriority(priority);
                }
                if (rename != null) {
                    edited = edited.withName(rename);
                }
                ProviderConfig updated = providers.update(edited, change);
                root().result(json(updated), "updated provider " + type + "/" + updated.name() + " (version "
                        + updated.version() + ")");
            }
        }
    }

    @Command(name = "set-default", mixinStandardHelpOptions = true,
            description = "Make a provider the default of its type.")
    static final class SetDefault extends WriteCommand {
        @Parameters(index = "0", paramLabel = "TYPE")
        String type;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        void run() {
            ChangeContext change = change();
            try (StoreSet stores = root().open()) {
                ProviderConfigStore providers = tenant(stores).providers();
                ProviderConfig updated = providers.setDefault(find(providers, type, name).id(), change);
                root().result(json(updated), type + "/" + name + " is now the default " + type + " provider");
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Delete a provider configuration.")
    static final class Remove extends WriteCommand {
        @Parameters(index = "0", paramLabel = "TYPE")
        String type;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        void run() {
            ChangeContext change = change();
            try (StoreSet stores = root().open()) {
                ProviderConfigStore providers = tenant(stores).providers();
                ProviderConfig found = find(providers, type, name);
                providers.delete(found.id(), change);
                ObjectNode result = object().put("removed", found.id());
                root().result(result, "removed provider " + type + "/" + name);
            }
        }
    }
}
