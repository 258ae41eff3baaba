package io.configstore.cli;

import io.configstore.error.ValidationException;
import io.configstore.model.ChangeContext;
import picocli.CommandLine.Option;

/**
 * A command that writes one entity: it takes {@code --idempotency-key}, and builds the write's {@link ChangeContext}
 * in this one place. Bulk commands (import, copy, rewrap) are not write commands: one key cannot name many writes.
 */
abstract class WriteCommand extends CliCommand {
    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Names this write (1 to 128 printable characters, per --actor): a retry with the same key"
                    + " and the same arguments writes nothing and prints the first result; the same key with other"
                    + " arguments fails with exit code 4.")
    String idempotencyKey;

    /**
     * Who, why and the idempotency key, for this command's write. Commands call it before reading input or opening
     * the store, so that a bad key is refused (exit 2) before anything else happens.
     */
    ChangeContext change() {
        ChangeContext change = root().change();
        if (idempotencyKey == null) {
            return change;
        }
        try {
            return change.withIdempotencyKey(idempotencyKey);
        } catch (ValidationException e) {
            throw new ValidationException("--idempotency-key is not valid: " + e.getMessage()
                    + "; give 1 to 128 printable characters", e);
        }
    }
}
