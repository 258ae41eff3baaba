package io.configstore.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The message of a command line that does not parse, written from what picocli knows about the command (its options,
 * parameter labels, types and subcommands), never from picocli's own message: that one quotes the offending argument,
 * and the argument may be a secret typed in the wrong place ({@code key put openai prod sk-...}). A message names the
 * argument's position or the option, and the shape expected there.
 */
final class UsageError {
    /**
     * An unknown option is named only when it looks like an option name (two dashes, lower-case words): anything
     * else in an option's place may be a secret, and its position says enough.
     */
    private static final Pattern PLAIN_OPTION_NAME = Pattern.compile("--[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final int MAX_OPTION_NAME = 32;

    private UsageError() {
    }

    /** The message for {@code failure}, raised while parsing {@code args}. */
    static String describe(ParameterException failure, List<String> args) {
        CommandSpec command = failure.getCommandLine().getCommandSpec();
        String name = "'" + command.qualifiedName() + "'";
        if (failure instanceof UnmatchedArgumentException unmatched) {
            return unmatched(unmatched, command, name, args);
        }
        if (failure instanceof MissingParameterException missing) {
            return missing.getMissing().stream().map(spec -> missing(spec, args))
                    .collect(Collectors.joining("; ")) + "; usage: " + synopsis(command);
        }
        if (failure instanceof OverwrittenOptionException overwritten && overwritten.getOverwritten() != null) {
            return label(overwritten.getOverwritten()) + " is given more than once; " + name + " takes it once";
        }
        ArgSpec spec = failure.getArgSpec();
        if (spec != null && failure.getValue() != null) {
            return label(spec) + " takes " + shape(spec) + "; the value given is not one";
        }
        if (!command.subcommands().isEmpty()) {
            // Picocli's help command reports a name it does not know through its parent: it was given a command.
            ParseResult parsed = failure.getCommandLine().getParseResult();
            boolean given = parsed != null && parsed.hasSubcommand();
            return (given ? "that is not a command of " + name + "; its commands are " : name + " needs a command: ")
                    + String.join(", ", command.subcommands().keySet());
        }
        return "the arguments do not match the usage of " + name + ": " + synopsis(command);
    }

    private static String unmatched(UnmatchedArgumentException failure, CommandSpec command, String name,
                                    List<String> args) {
        String first = failure.getUnmatched().isEmpty() ? null : failure.getUnmatched().get(0);
        String where = position(first, args);
        String suggestions = failure.getSuggestions().isEmpty() ? ""
                : "; did you mean " + String.join(" or ", failure.getSuggestions()) + "?";
        if (first != null && first.startsWith("-") && first.length() > 1) {
            String option = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
            String shown = option.length() <= MAX_OPTION_NAME && PLAIN_OPTION_NAME.matcher(option).matches()
                    ? "unknown option " + option + " (" + where + ")" : where + " is not an option of " + name;
            return shown + suggestions + "; usage: " + synopsis(command);
        }
        if (!command.subcommands().isEmpty() && command.positionalParameters().isEmpty()) {
            return where + " is not a command of " + name + "; its commands are "
                    + String.join(", ", command.subcommands().keySet()) + suggestions;
        }
        String message = where + " is one argument too many; usage: " + synopsis(command);
        if (command.userObject() instanceof KeyCommands.Put || command.userObject() instanceof KeyCommands.Rotate) {
            message += ". A secret is never an argument (every user of the machine can read arguments in the process"
                    + " list): it is read from standard input, for example printf '%s' \"$SECRET\" | "
                    + command.qualifiedName() + " TYPE NAME, or typed at the prompt on a terminal";
        }
        return message;
    }

    /** "argument N" (counted after the program's name), found by identity first: picocli passes the same strings. */
    private static String position(String argument, List<String> args) {
        if (argument == null) {
            return "an argument";
        }
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i) == argument) {
                return "argument " + (i + 1);
            }
        }
        int index = args.indexOf(argument);
        return index < 0 ? "an argument" : "argument " + (index + 1);
    }

    private static String missing(ArgSpec spec, List<String> args) {
        if (spec instanceof OptionSpec option) {
            boolean given = args.stream().takeWhile(arg -> !arg.equals("--")).anyMatch(arg -> java.util.Arrays.stream(option.names())
                    .anyMatch(optionName -> arg.equals(optionName) || arg.startsWith(optionName + "=")));
            return given ? "option " + option.longestName() + " needs a value: " + option.paramLabel()
                    : "option " + option.longestName() + " " + option.paramLabel() + " is required";
        }
        return "missing " + spec.paramLabel();
    }

    /** How a message names an option or a positional parameter. */
    private static String label(ArgSpec spec) {
        if (spec instanceof OptionSpec option) {
            return "option " + option.longestName();
        }
        PositionalParamSpec positional = (PositionalParamSpec) spec;
        return "parameter " + positional.paramLabel();
    }

    /** The kind of value a parameter takes, from its Java type. */
    static String shape(ArgSpec spec) {
        Class<?> type = spec.type();
        if (type == int.class || type == Integer.class) {
            return "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (type == long.class || type == Long.class) {
            return "a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        if (type == boolean.class || type == Boolean.class) {
            return "no value (it is a flag), or =true or =false";
        }
        if (Path.class.isAssignableFrom(type)) {
            return "a file path";
        }
        return "a " + spec.paramLabel().toLowerCase(Locale.ROOT).replaceAll("[<>]", "");
    }

    /** The command's usage line: its name, positional parameters and "[options]". */
    private static String synopsis(CommandSpec command) {
        StringBuilder line = new StringBuilder(command.qualifiedName());
        for (PositionalParamSpec positional : command.positionalParameters()) {
            boolean optional = positional.arity().min() == 0;
            boolean many = positional.arity().isVariable() || positional.arity().max() > 1;
            line.append(' ').append(optional ? "[" : "").append(positional.paramLabel()).append(many ? "..." : "")
                    .append(optional ? "]" : "");
        }
        if (!command.subcommands().isEmpty() && command.positionalParameters().isEmpty()) {
            line.append(" COMMAND");
        }
        return line.append(" [options]").toString();
    }
}
