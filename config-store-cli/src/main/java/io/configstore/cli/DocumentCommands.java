package io.configstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.effective.EffectiveConfig;
import io.configstore.effective.EffectiveConfigLoader;
import io.configstore.effective.Explanation;
import io.configstore.effective.OverriddenValue;
import io.configstore.effective.SecretKeys;
import io.configstore.error.ValidationException;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Json;
import io.configstore.store.ConfigStore;
import io.configstore.store.StoreSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code configstore document ...}: configuration documents of a tenant. */
@Command(name = "document", mixinStandardHelpOptions = true,
        description = "Read, write and explain configuration documents.",
        subcommands = {DocumentCommands.Get.class, DocumentCommands.Set.class, DocumentCommands.Explain.class})
final class DocumentCommands {
    private DocumentCommands() {
    }

    static ObjectNode documentJson(ConfigDocument document, ObjectNode node) {
        node.put("tenantId", document.tenantId());
        node.put("name", document.name());
        node.put("formatVersion", document.formatVersion());
        node.put("revision", document.revision());
        node.put("updatedAt", document.updatedAt().toString());
        node.put("changedBy", document.changedBy());
        node.set("content", document.content());
        return node;
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print a stored document.")
    static final class Get extends CliCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        void run() {
            try (StoreSet stores = root().open()) {
                ConfigDocument document = tenant(stores).documents().load(name).orElseThrow(
                        () -> new CliNotFoundException("there is no document '" + name + "' in tenant '"
                                + root().tenant + "'"));
                root().result(documentJson(document, object()), Json.write(document.content()));
            }
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Write a document from a file (or standard input with --file -), replacing its content.")
    static final class Set extends WriteCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--file", required = true, paramLabel = "FILE",
                description = "The JSON object to store; - reads standard input.")
        String file;

        @Option(names = "--format-version", description = "The document's format version (default: keep it, or 1).")
        Integer formatVersion;

        @Option(names = "--expect-revision",
                description = "Write only if the stored revision is this (0: only if absent); default: the current one.")
        Long expectRevision;

        @Override
        void run() {
            ChangeContext change = change();
            ObjectNode content = Json.parseObject("document", read());
            try (StoreSet stores = root().openCreating()) {
                ConfigStore documents = tenant(stores).documents();
                java.util.Optional<ConfigDocument> current = documents.load(name);
                long expected = expectRevision != null ? expectRevision
                        : current.map(ConfigDocument::revision).orElse(ConfigDocument.NO_REVISION);
                int format = formatVersion != null ? formatVersion
                        : current.map(ConfigDocument::formatVersion).orElse(ConfigStore.INITIAL_FORMAT_VERSION);
                ConfigDocument saved = documents.save(name, content, format, expected, change);
                root().result(documentJson(saved, object()), "saved document " + name + " (revision " + saved.revision()
                        + ")");
            }
        }

        private String read() {
            try {
                if (file.equals("-")) {
                    return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
                }
                return Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new CliNotFoundException("the file " + file + " does not exist");
            } catch (IOException e) {
                throw new ValidationException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")", e);
            }
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "Show where every value of the effective configuration comes from: the stored document,"
                    + " overridden by CONFIGSTORE_* environment variables and by the --key=value overrides given"
                    + " after --.")
    static final class Explain extends CliCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1..*", paramLabel = "OVERRIDE",
                description = "Command-line overrides, such as --server.port=9090 (put them after --).")
        List<String> overrides = new ArrayList<>();

        @Override
        void run() {
            try (StoreSet stores = root().open()) {
                EffectiveConfig effective = EffectiveConfigLoader.builder(name)
                        .environment(root().environmentMap())
                        .commandLine(overrides)
                        .build()
                        .loadEffective(tenant(stores).documents());
                // Values under secret-looking keys (password, token, ...) are redacted, as in the text report.
                SecretKeys secrets = SecretKeys.defaults();
                ArrayNode array = root().mapper().createArrayNode();
                for (Explanation explanation : effective.explainAll()) {
                    ObjectNode node = array.addObject();
                    node.put("path", explanation.path().toString());
                    node.set("value", secrets.redact(explanation.path(), explanation.value()));
                    node.put("origin", explanation.origin().toString());
                    ArrayNode overridden = node.putArray("overridden");
                    for (OverriddenValue value : explanation.overridden()) {
                        overridden.addObject().put("path", value.path().toString())
                                .<ObjectNode>set("value", secrets.redact(value.path(), value.value()))
                                .put("origin", value.origin().toString());
                    }
                }
                ObjectNode result = object();
                result.put("document", name);
                result.set("origins", array);
                String report = effective.originReport();
                root().result(result, report.isEmpty() ? "document '" + name + "' is empty or absent" : report);
            }
        }
    }
}
