package io.configstore.model;

import io.configstore.internal.Arguments;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/**
 * Time at the edges, one rule for every backend: arithmetic that saturates instead of throwing, and the range of
 * instants every backend can store. {@code Instant.MAX.toEpochMilli()} and {@code now.minus(hugeDuration)} throw
 * (ArithmeticException, DateTimeException); a query from {@link Instant#MIN} to {@link Instant#MAX}, or a retention
 * of "forever", must simply work instead.
 */
public final class Instants {
    /**
     * The earliest instant a store holds: 0001-01-01T00:00:00Z. Both SQLite (epoch milliseconds) and PostgreSQL
     * ({@code timestamptz}, from 4713 BC) store everything from here to {@link #LATEST_STORABLE}.
     */
    public static final Instant EARLIEST_STORABLE = Instant.parse("0001-01-01T00:00:00Z");
    /** The latest instant a store holds: 9999-12-31T23:59:59.999Z. */
    public static final Instant LATEST_STORABLE = Instant.parse("9999-12-31T23:59:59.999Z");

    private Instants() {
    }

    /** {@code instant} moved into [{@link #EARLIEST_STORABLE}, {@link #LATEST_STORABLE}], for a query bound. */
    public static Instant clampToStorable(Instant instant) {
        Arguments.requireNonNull("instant", instant);
        if (instant.isBefore(EARLIEST_STORABLE)) {
            return EARLIEST_STORABLE;
        }
        return instant.isAfter(LATEST_STORABLE) ? LATEST_STORABLE : instant;
    }

    /** {@code instant - duration}, or {@link Instant#MIN} / {@link Instant#MAX} where that would overflow. */
    public static Instant minusSaturating(Instant instant, Duration duration) {
        Arguments.requireNonNull("instant", instant);
        Arguments.requireNonNull("duration", duration);
        try {
            return instant.minus(duration);
        } catch (DateTimeException | ArithmeticException overflow) {
            return duration.isNegative() ? Instant.MAX : Instant.MIN;
        }
    }

    /** {@code instant + duration}, or {@link Instant#MAX} / {@link Instant#MIN} where that would overflow. */
    public static Instant plusSaturating(Instant instant, Duration duration) {
        Arguments.requireNonNull("instant", instant);
        Arguments.requireNonNull("duration", duration);
        try {
            return instant.plus(duration);
        } catch (DateTimeException | ArithmeticException overflow) {
            return duration.isNegative() ? Instant.MIN : Instant.MAX;
        }
    }
}
