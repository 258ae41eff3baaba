package io.configstore.service;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The service's background timers (health check, staleness, recovery probe, snapshot writes) on one daemon thread.
 * Deadlines are read from the injected clock: the scheduler counts the machine's elapsed time and the clock need not
 * follow it (a host's own clock, a clock stepped by NTP or by a test), so a timer due at a clock time sleeps at most
 * one health-check interval and its task reads the clock again.
 */
final class MaintenanceTimers {
    private final ScheduledExecutorService executor;
    private final Clock clock;
    /** The longest a timer sleeps before it reads the clock again (the health-check interval). */
    private final long recheckMillis;
    private volatile boolean stopped;

    MaintenanceTimers(String tenantId, Clock clock, Duration recheck) {
        this.clock = clock;
        this.recheckMillis = recheck.toMillis();
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "configstore-maintenance-" + tenantId);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code task} every {@code interval} of elapsed time, first after one interval. */
    void every(Duration interval, Runnable task) {
        long every = interval.toMillis();
        executor.scheduleWithFixedDelay(task, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code task} once at {@code dueMillis} on the clock, or sooner to read the clock again (see the class
     * comment): the task checks whether it is due.
     *
     * @return false when the timers are stopped and the task will not run
     */
    boolean at(long dueMillis, Runnable task) {
        return after(delayUntil(dueMillis), task);
    }

    /**
     * Runs {@code task} once after {@code waitMillis} of elapsed time (the recovery probe's backoff).
     *
     * @return false when the timers are stopped and the task will not run
     */
    boolean after(long waitMillis, Runnable task) {
        try {
            executor.schedule(task, waitMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** The scheduler's delay until {@code dueMillis} on the injected clock, at most one recheck interval. */
    private long delayUntil(long dueMillis) {
        return Math.max(0, Math.min(recheckMillis, dueMillis - clock.millis()));
    }

    /** True once the service closes: no timer is started any more. */
    boolean stopped() {
        return stopped;
    }

    /** Stops every timer, interrupting a running task. */
    void stop() {
        stopped = true;
        executor.shutdownNow();
    }

    /** Waits up to {@code limit} for a running task to end after {@link #stop()}. */
    void awaitStop(Duration limit) throws InterruptedException {
        executor.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS);
    }
}
