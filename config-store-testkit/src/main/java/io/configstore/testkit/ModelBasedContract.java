package io.configstore.testkit;

import org.junit.jupiter.api.Test;

/**
 * The model-based contract: seeded random sequences of public calls (provider creates, current and stale updates
 * with renames, name clashes and default flips, default moves, deletes; document saves, updates and deletes with
 * current and stale revisions; API key stores, rotations, activations and deletes; history listings and rollbacks;
 * idempotent retries; units of work that fail half way, nested ones whose failure the outer unit catches; two
 * tenants; reopening the location) run against the backend under test and against a small reference model written
 * plainly in the kit. Every call's result (names, types, versions, flags, settings, revisions, history versions and
 * change types; the backend's random ids mapped to the model's handles; never timestamps) or exception class must
 * match the model's, and at the end so must the whole state of both tenants: providers, API keys and their secrets
 * (compared through {@code reveal}), documents, each entity's history and the tenant's history in time order.
 *
 * <p>The seeds are 1 to 40, 30 steps each; set the system property {@value #SEED_PROPERTY} to replay some
 * ({@code -Dconfigstore.kit.seed=17} or {@code =3,17}). A sequence that diverges is shrunk (steps dropped, on fresh
 * locations, while it still diverges the same way) and the test fails with its seed and the shortest sequence found,
 * one step per line, and the first difference.
 */
public interface ModelBasedContract extends StoreContract {
    /** The system property that names the seeds to run, separated by commas; unset, the kit's 40 seeds run. */
    String SEED_PROPERTY = "configstore.kit.seed";

    @Test
    default void seeded_sequences_of_calls_give_the_reference_models_results_and_final_state() throws Exception {
        ModelRun.check(backend(), newCipher(), ModelRun.seeds(System.getProperty(SEED_PROPERTY)));
    }
}
