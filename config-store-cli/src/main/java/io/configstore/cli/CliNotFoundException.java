package io.configstore.cli;

/** Something the command line names (a provider by type and name, a key, a document, a file) does not exist. */
final class CliNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliNotFoundException(String message) {
        super(message);
    }
}
