package io.configstore.crypto;

import io.configstore.internal.Arguments;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The row a ciphertext belongs to. Ciphers authenticate it as associated data, so a ciphertext copied into another
 * row (another tenant, type, key name or id) fails to decrypt instead of revealing the other row's secret.
 *
 * @param tenantId the owning tenant
 * @param providerType the provider type of the key
 * @param keyName the key's name
 * @param rowId the row's id
 */
public record SecretBinding(String tenantId, String providerType, String keyName, String rowId) {
    public SecretBinding {
        Arguments.requireTenantId(tenantId);
        Arguments.requireProviderType(providerType);
        Arguments.requireName("keyName", keyName);
        Arguments.requireId("rowId", rowId);
    }

    /** An unambiguous byte encoding of the four fields (each length-prefixed), used as associated data. */
    public byte[] associatedData() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String field : new String[] {tenantId, providerType, keyName, rowId}) {
            byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
            out.write(bytes.length >>> 8);
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    /** Names the row for error messages. */
    public String describe() {
        return "API key '" + keyName + "' (" + providerType + ", id " + rowId + ", tenant " + tenantId + ")";
    }
}
