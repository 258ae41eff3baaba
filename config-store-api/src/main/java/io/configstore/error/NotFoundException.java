package io.configstore.error;

/** The entity named by an id or name does not exist for this tenant. Nothing was changed. */
public class NotFoundException extends ConfigStoreException {
    private static final long serialVersionUID = 1L;
    private final String entity;
    private final String key;

    public NotFoundException(String entity, String tenantId, String key) {
        super(entity + " '" + key + "' does not exist in tenant '" + tenantId
                + "'; list the existing ones or create it first");
        this.entity = entity;
        this.key = key;
    }

    /** The kind of entity looked for, for example {@code provider config}. */
    public String entity() {
        return entity;
    }

    /** The id or name that was not found. */
    public String key() {
        return key;
    }
}
