package io.configstore.change;

/**
 * Receives {@link ChangeEvent}s. Called on the store set's notification thread, one event at a time, in commit order
 * as far as the backend can tell it; keep it quick and hand heavy work to another thread. An exception it throws is
 * logged and does not stop later events.
 */
@FunctionalInterface
public interface ChangeListener {
    /** Called after the change was committed, never before. */
    void onChange(ChangeEvent event);
}
