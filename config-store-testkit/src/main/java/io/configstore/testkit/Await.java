package io.configstore.testkit;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.ArrayList;
import java.util.List;

/**
 * The tests' one way to wait for something that happens on another thread: check a condition until it holds, and
 * fail naming what was awaited once a deadline has passed. A test never sleeps a guessed time: it waits exactly as
 * long as the condition needs, and at most {@link #DEADLINE} (generous, because the machine may be busy).
 */
public final class Await {
    /** How long any wait may last before the test fails. */
    public static final Duration DEADLINE = Duration.ofSeconds(60);

    /** Between two checks: short enough not to slow a test, long enough not to spin a core of a busy machine. */
    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private Await() {
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @param what what is awaited, for the failure message
     * @throws AssertionError when it does not hold within {@link #DEADLINE}
     */
    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + DEADLINE + ": " + what);
            }
            LockSupport.parkNanos(PAUSE_NANOS);
        }
    }

    /**
     * Takes elements from {@code queue} until one matches, and returns it; those before it are dropped.
     *
     * @param what what is awaited, for the failure message (which also lists what came instead)
     * @throws AssertionError when none matches within {@link #DEADLINE}
     * @throws InterruptedException when the test thread is interrupted
     */
    public static <T> T next(BlockingQueue<T> queue, String what, Predicate<? super T> matches)
            throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        List<T> seen = new ArrayList<>();
        while (true) {
            T element = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (element == null) {
                throw new AssertionError("not within " + DEADLINE + ": " + what + "; seen instead: " + seen);
            }
            if (matches.test(element)) {
                return element;
            }
            seen.add(element);
        }
    }
}
