package io.configstore.effective;

import com.fasterxml.jackson.databind.node.BooleanNode;
import io.configstore.error.ValidationException;
import java.util.ArrayList;
import java.util.List;

/** {@code --a.b=value}, {@code --a.b value}, {@code --flag}, {@code --no-flag}; everything else is positional. */
final class CommandLineLayer extends ConfigLayer {
    private final List<String> args;
    private final UnknownKeys unknown;

    CommandLineLayer(List<String> args, UnknownKeys unknown) {
        this.args = args;
        this.unknown = unknown;
    }

    @Override
    public String name() {
        return Origin.COMMAND_LINE;
    }

    @Override
    void apply(LayerContext context) {
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || !arg.startsWith("--")) {
                context.positional().add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            int equals = arg.indexOf('=');
            String key = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
            String text = equals < 0 ? null : arg.substring(equals + 1);
            String option = "--" + key;
            String who = "args[" + i + "] " + option;

            LayerContext.Resolution resolution = resolve(context, key);
            boolean negated = false;
            if (resolution.failed() && text == null && key.startsWith("no-")) {
                LayerContext.Resolution positive = resolve(context, key.substring(3));
                if (!positive.failed() && positive.kind() == ValueKind.BOOLEAN) {
                    resolution = positive;
                    negated = true;
                }
            }
            if (resolution.failed()) {
                if (unknown == UnknownKeys.FAIL) {
                    // Named by position only: an option that matches no key may be a secret typed in the wrong place.
                    context.problems().add("args[" + i + "] (an option): " + resolution.failure()
                            + ", or let the host ignore unknown options (UnknownKeys.IGNORE)");
                } else {
                    context.ignored().add(option);
                }
                continue;
            }
            Origin origin = Origin.argument(i, option);
            if (negated) {
                context.tree().put(resolution.path(), BooleanNode.FALSE, origin);
            } else if (text != null) {
                context.putText(resolution, text, origin, who);
            } else if (resolution.kind() == ValueKind.BOOLEAN) {
                context.tree().put(resolution.path(), BooleanNode.TRUE, origin);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                i++;
                context.putText(resolution, args.get(i), origin, who);
            } else {
                context.problems().add(who + " needs a value: write " + option + "=VALUE or " + option + " VALUE");
            }
        }
    }

    private static LayerContext.Resolution resolve(LayerContext context, String key) {
        try {
            return context.resolve(names(ConfigPath.parse(key)), false);
        } catch (ValidationException e) {
            // Not e's message: it quotes the text.
            return new LayerContext.Resolution(null, ValueKind.UNKNOWN, "its name is not a valid path; write paths like"
                    + " server.port, hosts[0].name or labels[\"team.name\"]");
        }
    }

    /** A parsed path's segments as the names {@link LayerContext#resolve} takes: indexes as digits. */
    static List<String> names(ConfigPath path) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < path.size(); i++) {
            names.add(path.isIndex(i) ? Integer.toString(path.index(i)) : path.key(i));
        }
        return names;
    }
}
