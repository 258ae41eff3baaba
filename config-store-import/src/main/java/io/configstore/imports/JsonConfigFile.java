package io.configstore.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.error.ValidationException;
import io.configstore.internal.Arguments;
import io.configstore.model.Json;
import io.configstore.store.ConfigStore;
import io.configstore.store.StoreSet;
import io.configstore.store.TenantStores;
import java.nio.file.Path;

/**
 * An application's existing JSON configuration file, imported as one configuration document (format version
 * {@link ConfigStore#INITIAL_FORMAT_VERSION}). The file must hold a JSON object; anything else is an error naming the
 * file and the position. A document of that name in the target is never overwritten (skipped, or the import fails).
 */
public final class JsonConfigFile implements ImportSource {
    private final Path file;
    private final String documentName;
    private final String tenantId;

    private JsonConfigFile(Path file, String documentName, String tenantId) {
        this.file = file;
        this.documentName = documentName;
        this.tenantId = tenantId;
    }

    /** The file at {@code file}, to become the document {@code documentName} of the default tenant. */
    public static JsonConfigFile of(Path file, String documentName) {
        Arguments.requireNonNull("file", file);
        Arguments.requireName("documentName", documentName);
        return new JsonConfigFile(file, documentName, TenantStores.DEFAULT_TENANT);
    }

    /** A copy importing into another tenant. */
    public JsonConfigFile intoTenant(String tenant) {
        return new JsonConfigFile(file, documentName, Arguments.requireTenantId(tenant));
    }

    @Override
    public String describe() {
        return "configuration file " + file + " as document '" + documentName + "'";
    }

    @Override
    public ImportReport importInto(StoreSet target, ImportOptions options, ImportProgress progress) {
        return ImportEngine.run(target, options, progress, this::read);
    }

    ImportBatch read() {
        ObjectNode root = SourceFiles.readObject(file, "configuration file", "a JSON object");
        ObjectNode content;
        try {
            content = Json.requireObject("content", root);
        } catch (ValidationException e) {
            throw new ValidationException(file + ": " + e.getMessage());
        }
        ImportBatch batch = new ImportBatch(describe());
        batch.add(ImportEntry.document(tenantId, documentName, content, ConfigStore.INITIAL_FORMAT_VERSION));
        return batch;
    }

    @Override
    public String toString() {
        return "JsonConfigFile[" + file + " as " + documentName + ", tenant " + tenantId + "]";
    }
}
