/**
 * The {@code configstore} command-line tool: {@link io.configstore.cli.ConfigstoreCli} is its entry point. Every
 * command, its options and the exit codes are described by {@code --help} and in the README.
 */
package io.configstore.cli;
