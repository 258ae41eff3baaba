package io.configstore.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.model.ChangeContext;
import io.configstore.model.ConfigDocument;
import io.configstore.model.Versioned;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Versioned configuration documents of one tenant: each a JSON object stored under a name, with the document's
 * format version and a revision that grows by one with every save.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Compare-and-set.</b> {@link #save} writes only when the stored revision is the one the caller read
 *       ({@link ConfigDocument#NO_REVISION} for a new document); otherwise it fails with
 *       {@link io.configstore.error.VersionConflictException} and writes nothing.</li>
 *   <li><b>No lost update.</b> {@link #update(String, UnaryOperator, ChangeContext)} reads, applies the function and
 *       writes atomically, retrying on conflict, so concurrent updaters in threads or processes each see the other's
 *       result. The function may therefore run more than once: it must be free of side effects.</li>
 *   <li><b>Copies.</b> Documents are handed out and taken in as copies: changing a tree after a call does not change
 *       what is stored.</li>
 * </ul>
 *
 * <pre>{@code
 * ConfigStore documents = stores.documents();
 * documents.update("app", doc -> doc.put("maxConnections", 20), ChangeContext.by("ops", "more load"));
 * AppSettings settings = documents.load("app", AppSettings.class).orElseThrow().value();
 * }</pre>
 */
public interface ConfigStore {
    /** The format version given to a document created by {@code update} or {@code saveValue} without one. */
    int INITIAL_FORMAT_VERSION = 1;

    /** The tenant this store reads and writes. */
    String tenantId();

    /** The raw stored document with this name, or empty. */
    Optional<ConfigDocument> load(String name);

    /**
     * The document bound to a host type with Jackson, or empty when there is none.
     *
     * @throws io.configstore.error.ValidationException when the stored JSON does not fit the type
     */
    <T> Optional<Versioned<T>> load(String name, Class<T> type);

    /** The names of the tenant's documents, sorted. */
    List<String> names();

    /**
     * Saves a document when its stored revision is {@code expectedRevision}.
     *
     * @param expectedRevision the revision read, or {@link ConfigDocument#NO_REVISION} to create a new document
     * @return the document as stored, its revision one higher
     * @throws io.configstore.error.VersionConflictException when the stored revision differs
     */
    ConfigDocument save(String name, ObjectNode content, int formatVersion, long expectedRevision,
                        ChangeContext change);

    /**
     * Saves a host value, converted to a JSON object with Jackson, keeping the stored format version (or
     * {@link #INITIAL_FORMAT_VERSION} for a new document).
     *
     * @see #save(String, ObjectNode, int, long, ChangeContext)
     */
    ConfigDocument saveValue(String name, Object value, long expectedRevision, ChangeContext change);

    /**
     * Reads the document (an empty object when absent), applies {@code fn} to a copy, and writes the result with
     * compare-and-set, retrying from a fresh read on conflict. When the document exists and the result equals it,
     * nothing is written and the stored document is returned as it is; an absent document is always created, even
     * with an empty object.
     *
     * @param fn returns the new content; may modify and return its argument; must have no side effects
     * @return the document as stored afterwards
     * @throws io.configstore.error.ValidationException when {@code fn} returns null or something that is not a valid
     *     document
     * @throws io.configstore.error.VersionConflictException when it still conflicts after many retries
     */
    ConfigDocument update(String name, UnaryOperator<ObjectNode> fn, ChangeContext change);

    /**
     * Like {@link #update(String, UnaryOperator, ChangeContext)}, through a host type: the stored document (an empty
     * object when absent) is bound to {@code type}, passed to {@code fn}, and the result converted back.
     */
    <T> Versioned<T> update(String name, Class<T> type, UnaryOperator<T> fn, ChangeContext change);

    /**
     * Deletes a document when its stored revision is {@code expectedRevision}.
     *
     * @throws io.configstore.error.NotFoundException when there is no document with this name
     * @throws io.configstore.error.VersionConflictException when the stored revision differs
     */
    void delete(String name, long expectedRevision, ChangeContext change);
}
