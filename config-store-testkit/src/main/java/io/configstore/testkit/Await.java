package io.configstore.testkit;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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

    /** A state to wait for; may read it through a call that throws (a query, a file read). */
    @FunctionalInterface
    public interface Condition {
        /** Whether the state is reached. */
        boolean holds() throws Exception;
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @param what what is awaited, for the failure message
     * @throws AssertionError when it does not hold within {@link #DEADLINE}, or when checking it throws (the test
     *         fails with that exception as the cause)
     */
    public static void until(String what, Condition condition) {
        until(what, DEADLINE, condition);
    }

    /**
     * Returns once {@code condition} holds, waiting at most {@code limit}: for the rare wait that is known to take
     * longer than {@link #DEADLINE} allows (a database server restarting).
     *
     * @throws AssertionError as {@link #until(String, Condition)} does
     */
    public static void until(String what, Duration limit, Condition condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!check(what, condition)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            LockSupport.parkNanos(PAUSE_NANOS);
        }
    }

    private static boolean check(String what, Condition condition) {
        try {
            return condition.holds();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for: " + what, e);
        } catch (Exception e) {
            throw new AssertionError("checking failed while waiting for: " + what, e);
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
        return next(queue, what, DEADLINE, matches);
    }

    /**
     * Takes elements from {@code queue} until one matches, waiting at most {@code limit}.
     *
     * @throws AssertionError as {@link #next(BlockingQueue, String, Predicate)} does
     * @throws InterruptedException when the test thread is interrupted
     */
    public static <T> T next(BlockingQueue<T> queue, String what, Duration limit, Predicate<? super T> matches)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        List<T> seen = new ArrayList<>();
        while (true) {
            T element = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (element == null) {
                throw new AssertionError("not within " + limit + ": " + what + "; seen instead: " + seen);
            }
            if (matches.test(element)) {
                return element;
            }
            seen.add(element);
        }
    }
}
