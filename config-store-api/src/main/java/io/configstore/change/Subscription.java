package io.configstore.change;

/** A registered {@link ChangeListener}; close it to stop receiving events. Closing twice does nothing. */
public interface Subscription extends AutoCloseable {
    /** Stops delivery to the listener; events already being delivered may still arrive. */
    @Override
    void close();
}
