package io.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.configstore.error.ValidationException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Durations at the edges, for the tests of every builder option that takes one: each must be refused with a
 * {@link ValidationException} naming the option, never an ArithmeticException from {@code toMillis()} or
 * {@code toNanos()} later, at open or on a timer.
 */
public final class ExtremeDurations {
    /** Durations no timeout, interval or TTL accepts: null, zero, negative, and the longest ones Java can express. */
    public static final List<Duration> OUT_OF_EVERY_RANGE = Arrays.asList(null, Duration.ZERO, Duration.ofNanos(-1),
            Duration.ofSeconds(Long.MIN_VALUE), Duration.ofSeconds(Long.MAX_VALUE, 999_999_999),
            Duration.ofSeconds(Long.MAX_VALUE), ChronoUnit.FOREVER.getDuration(), Duration.ofDays(365L * 10_000));

    private ExtremeDurations() {
    }

    /**
     * Asserts that {@code setter} refuses every duration of {@link #OUT_OF_EVERY_RANGE} with a
     * {@link ValidationException} whose message names {@code option}.
     */
    public static void assertEachRefused(String option, Consumer<Duration> setter) {
        for (Duration duration : OUT_OF_EVERY_RANGE) {
            assertThatThrownBy(() -> setter.accept(duration)).as("%s(%s)", option, duration)
                    .isInstanceOf(ValidationException.class).hasMessageContaining(option);
        }
    }
}
