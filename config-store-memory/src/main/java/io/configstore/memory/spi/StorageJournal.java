package io.configstore.memory.spi;

import io.configstore.change.ChangeEvent;
import io.configstore.memory.InMemoryStorage;
import java.util.List;
import java.util.Optional;

/**
 * Where an {@link InMemoryStorage} keeps its commits outside memory, so that another engine (another process, or
 * this one after a restart) can load them: the persistence SPI of the file backend. The engine keeps every store
 * rule; the journal only makes commits durable and reports rows changed behind the engine's back.
 *
 * <p>The storage calls {@link #beginWrite()}, {@link #commit}, {@link #endWrite()} and {@link #reload()} only while
 * it holds its own write lock, so they never run concurrently for one storage; {@link #changedOutside()} may be called
 * by any thread at any time and must be cheap.
 */
public interface StorageJournal {
    /**
     * Whether the durable copy may have changed since this journal last read or wrote it (another process, a person
     * editing a file). A cheap check, made before reads so that they see such changes.
     */
    boolean changedOutside();

    /**
     * Reads the durable copy if it changed since it was last read or written, without any lock shared with other
     * processes. Called to notice changes made elsewhere.
     *
     * @return the rows now and how they changed, or empty when nothing changed or the copy cannot be read right now
     *     (the storage then keeps what it has)
     */
    Optional<ExternalChange> reload();

    /**
     * Called when a writer starts (a single write or a unit of work), before it reads the committed rows: take any
     * lock shared with other processes and hold it until {@link #endWrite()}.
     *
     * @return the rows of the durable copy (and how they changed) when they changed since last read or written, so
     *     that the writer works on them (compare-and-set across processes); empty when unchanged
     * @throws io.configstore.error.StorageException when the lock or the copy cannot be had; the writer then fails
     *     and {@link #endWrite()} is not called
     */
    Optional<ExternalChange> beginWrite();

    /**
     * Makes {@code rows} durable, before the storage publishes them. Only called between {@link #beginWrite()} and
     * {@link #endWrite()}, and only when the rows differ from those committed. {@code changes} are what the commit
     * changed, for a journal that keeps them so that other engines can tell every version.
     *
     * @throws io.configstore.error.StorageException to refuse the commit: nothing is then published and the writer
     *     fails with it
     */
    void commit(StorageRows rows, List<ChangeEvent> changes);

    /** Called when the writer ends, committed or not: release what {@link #beginWrite()} took. */
    void endWrite();
}
