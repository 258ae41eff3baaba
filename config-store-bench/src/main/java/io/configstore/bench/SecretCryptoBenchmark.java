package io.configstore.bench;

import io.configstore.crypto.KeyRing;
import io.configstore.crypto.MasterKey;
import io.configstore.crypto.Secret;
import io.configstore.crypto.SecretBinding;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the secret path once the master key is derived: encrypting one API key, and decrypting one, with the
 * key ring every store uses (AES-256-GCM, row-bound, with its key-check and integrity tags). Issue 3's goal: a few
 * microseconds each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SecretCryptoBenchmark {
    private KeyRing ring;
    private SecretBinding binding;
    private Secret secret;
    private String stored;

    /** Derives nothing per operation: the ring and its sub-keys are built once here, as a store builds them at open. */
    @Setup
    public void setUp() {
        ring = KeyRing.of(MasterKey.generateAes256("bench"));
        binding = new SecretBinding("default", "openai", "production", "0b9c7a8e-5f7e-4c1e-9a57-2f0d3b8f6c11");
        secret = Secret.of("sk-proj-" + "x".repeat(156));
        stored = ring.encrypt(secret, binding);
    }

    /** Encrypting one secret for its row. */
    @Benchmark
    public String encrypt() {
        return ring.encrypt(secret, binding);
    }

    /** Decrypting one stored secret: the crypto inside {@code ApiKeyStore.reveal}. */
    @Benchmark
    public Secret decrypt() {
        return ring.decrypt(stored, binding);
    }
}
