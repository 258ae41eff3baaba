package io.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The kit's one bounded wait: returns as soon as the state is reached, and fails naming what never came. */
class AwaitTest {
    @Test
    void until_returns_once_the_condition_holds_checking_it_again_meanwhile() {
        AtomicInteger checks = new AtomicInteger();

        Await.until("the third check", () -> checks.incrementAndGet() >= 3);

        assertThat(checks).hasValue(3);
    }

    @Test
    void until_fails_after_its_limit_naming_what_was_awaited() {
        assertThatThrownBy(() -> Await.until("a state that never comes", Duration.ofMillis(20), () -> false))
                .isInstanceOf(AssertionError.class)
                .hasMessage("not within PT0.02S: a state that never comes");
    }

    @Test
    void a_check_that_throws_fails_the_wait_with_the_exception_as_its_cause() {
        IOException broken = new IOException("unreadable");

        assertThatThrownBy(() -> Await.until("a readable file", () -> {
            throw broken;
        })).isInstanceOf(AssertionError.class).hasMessageContaining("a readable file").hasCause(broken);
    }

    @Test
    void next_returns_the_first_match_and_lists_what_came_instead_when_none_does() throws Exception {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        queue.add("a");
        queue.add("b");
        queue.add("c");

        assertThat(Await.next(queue, "b", "b"::equals)).isEqualTo("b");
        assertThatThrownBy(() -> Await.next(queue, "d", Duration.ofMillis(20), "d"::equals))
                .isInstanceOf(AssertionError.class)
                .hasMessage("not within PT0.02S: d; seen instead: [c]");
    }
}
