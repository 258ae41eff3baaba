package io.configstore.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.configstore.model.ChangeContext;
import io.configstore.model.Json;
import io.configstore.model.NewProviderConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Sample inputs and small waits shared by the contracts. */
final class Samples {
    /** A change made by the kit. */
    static final ChangeContext CHANGE = ChangeContext.by("contract-kit", "testing the contract");
    /** How long any wait in the kit may take before the test fails instead of hanging. */
    static final Duration DEADLINE = Await.DEADLINE;

    private Samples() {
    }

    /** A settings object from alternating keys and text values. */
    static ObjectNode json(String... keysAndValues) {
        ObjectNode node = Json.object();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            node.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return node;
    }

    /** An enabled, non-default provider with the default priority and a {@code url} setting. */
    static NewProviderConfig provider(String type, String name) {
        return NewProviderConfig.of(type, name, json("url", "https://" + name + ".example"));
    }

    /** A provider with the given priority. */
    static NewProviderConfig provider(String type, String name, int priority) {
        return provider(type, name).withPriority(priority);
    }

    /**
     * Waits, without sleeping, until the wall clock at millisecond precision is past {@code instant}, so that the
     * next write gets a strictly later timestamp whatever the clock's resolution.
     */
    static void awaitClockPast(Instant instant) {
        Await.until("the clock past " + instant,
                () -> Instant.now().truncatedTo(ChronoUnit.MILLIS).isAfter(instant));
    }
}
