package io.configstore.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeyRingConcurrencyTest {
    @Test
    void values_written_while_the_ring_rotates_all_decrypt() throws Exception {
        KeyRing ring = KeyRing.of(MasterKey.generateAes256("k0"));
        SecretBinding row = new SecretBinding("default", "openai", "prod", "row-1");
        int threads = 4;
        int perThread = 200;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    start.await();
                    List<String> stored = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        String value = ring.encrypt(Secret.of("sk-" + thread + "-" + i), row);
                        assertThat(ring.decrypt(value, row).reveal()).isEqualTo("sk-" + thread + "-" + i);
                        stored.add(value);
                    }
                    return stored;
                }));
            }
            start.countDown();
            for (int k = 1; k <= 5; k++) {
                ring.addKey(MasterKey.generateAes256("k" + k));
                ring.makePrimary("k" + k);
            }
            List<String> all = new ArrayList<>();
            for (Future<List<String>> writer : writers) {
                all.addAll(writer.get(60, TimeUnit.SECONDS));
            }
            assertThat(all).hasSize(threads * perThread);
            for (String value : all) {
                assertThat(ring.decrypt(value, row).reveal()).startsWith("sk-");
            }
            assertThat(ring.countByKeyId(all).values().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(threads * perThread);
        } finally {
            pool.shutdownNow();
        }
    }
}
