package io.configstore.service;

/** Told of each change of a configuration service's health state, once per transition. */
@FunctionalInterface
public interface HealthListener {
    /**
     * Called on the thread that noticed the transition (a caller's or the service's background thread); keep it
     * quick. An exception it throws is logged and does not stop other listeners.
     */
    void onHealthChange(ServiceHealth previous, ServiceHealth current);
}
