package io.configstore.engine;

import io.configstore.change.ChangeEvent;
import io.configstore.change.ChangeListener;
import io.configstore.change.Subscription;
import io.configstore.error.StorageException;
import io.configstore.internal.Arguments;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriber list and notification thread of one store set, written once for every backend. A backend calls
 * {@link #publish} after a commit (never before) with what the commit changed, and when it learns of another
 * process's changes; listeners receive the events on one daemon thread, in the order published.
 *
 * <p>Thread-safe. Events wait in an unbounded queue until the thread delivers them, so a slow listener delays (but
 * never loses) later events and holds their memory. {@link #close()} stops the thread after delivering what was
 * already published.
 */
public final class ChangeDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeDispatcher.class);

    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService thread;

    /** A dispatcher whose thread is named after the store set it serves, for thread dumps. */
    public ChangeDispatcher(String storeName) {
        Arguments.requireNonNull("storeName", storeName);
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "configstore-changes-" + storeName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Registers a listener until the returned subscription is closed. */
    public Subscription subscribe(ChangeListener listener) {
        Arguments.requireNonNull("listener", listener);
        if (thread.isShutdown()) {
            throw new StorageException("this store set is closed; open it again to subscribe to changes");
        }
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Whether anyone listens: a backend may skip building events when nobody does. */
    public boolean hasListeners() {
        return !listeners.isEmpty();
    }

    /** Delivers {@code events} to every listener, in order, on the notification thread. */
    public void publish(List<ChangeEvent> events) {
        if (events.isEmpty() || listeners.isEmpty()) {
            return;
        }
        List<ChangeEvent> batch = List.copyOf(events);
        try {
            thread.execute(() -> deliver(batch));
        } catch (RejectedExecutionException closed) {
            LOG.debug("change events published after close were dropped");
        }
    }

    private void deliver(List<ChangeEvent> batch) {
        for (ChangeEvent event : batch) {
            for (ChangeListener listener : listeners) {
                try {
                    listener.onChange(event);
                } catch (VirtualMachineError fatal) {
                    throw fatal;
                } catch (Throwable e) {
                    // An Error from one listener (an AssertionError in a host's test, a missing class) must not
                    // cost the other listeners their events.
                    LOG.warn("a change listener failed on {} {} of tenant {}; later events are still delivered",
                            event.kind(), event.entity(), event.tenantId(), e);
                }
            }
        }
    }

    /** Delivers what was published, then stops the thread (waiting a few seconds at most). */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
        listeners.clear();
    }
}
