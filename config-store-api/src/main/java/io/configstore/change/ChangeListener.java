package io.configstore.change;

/**
 * Receives {@link ChangeEvent}s of a {@link io.configstore.store.StoreSet#subscribe store set}.
 *
 * <p><b>Thread.</b> Every listener of a store set is called on that set's one notification thread (named
 * {@code configstore-changes-<store>}, see {@code io.configstore.engine.ChangeDispatcher}), never on the thread that wrote: delivery is
 * asynchronous, so a listener may run before or after the write that caused it returns. A listener of
 * {@code ConfigurationService.subscribe} is called on the same thread, except that the changes a service finds when
 * it recovers from an outage are told on the service's maintenance thread, which may run at the same time.
 *
 * <p><b>Order.</b> One event at a time: each event is handed to every listener, in the order they subscribed, before
 * the next event is handed to any. The store set's own commits come as {@link ChangeOrigin#LOCAL} in commit order (a
 * unit of work's events together); other instances' commits come as {@link ChangeOrigin#REMOTE} in their commit
 * order, when the backend notices them, so a REMOTE event may follow a LOCAL one committed after it. A
 * {@link ChangeKind#RESYNC} may come at any time and means: reload everything.
 *
 * <p>Keep it quick and hand heavy work to another thread: events wait in an unbounded queue, so a slow listener
 * delays later events (it never loses them). An exception it throws is logged; later events and other listeners are
 * still called.
 */
@FunctionalInterface
public interface ChangeListener {
    /** Called after the change was committed, never before. */
    void onChange(ChangeEvent event);
}
