package io.configstore.examples;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks each README table of a builder's options against the builder itself, so that a table cannot leave out an
 * option (the SQLite table once lacked {@code masterKeys}, which the README's own example used) or keep one that is
 * gone. A table is checked when the line right before it is
 * {@code <!-- options-of: fully.qualified.Builder except name name (where they are documented) -->} ({@code except}
 * and what follows it optional): every public instance method of that class returning the builder must appear in
 * the table's first column as {@code `name`} or {@code `name(...)`}, unless listed after {@code except}, and every
 * name there must be such a method.
 */
final class ReadmeOptionTables {
    private static final Pattern MARKER = Pattern.compile(
            "<!--\\s*options-of:\\s*([\\w.$]+)(?:\\s+except\\s+([^(>]*?))?\\s*(?:\\(.*\\))?\\s*-->");
    private static final Pattern OPTION = Pattern.compile("`(\\w+)(?:\\(|`)");

    private ReadmeOptionTables() {
    }

    /** One message per table that disagrees with its builder; {@code checked} receives each builder checked. */
    static List<String> check(Path root, List<String> checked) throws IOException {
        List<String> failures = new ArrayList<>();
        for (Path readme : ReadmeSnippets.readmes(root)) {
            List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher marker = MARKER.matcher(lines.get(i).strip());
                if (!marker.matches()) {
                    continue;
                }
                String where = root.relativize(readme) + ":" + (i + 1);
                Class<?> builder;
                try {
                    builder = Class.forName(marker.group(1));
                } catch (ClassNotFoundException e) {
                    failures.add(where + ": options-of names " + marker.group(1) + ", which is not on the class path");
                    continue;
                }
                checked.add(builder.getName());
                Set<String> except = new TreeSet<>(marker.group(2) == null ? List.of()
                        : Arrays.asList(marker.group(2).trim().split("\\s+")));
                Set<String> methods = new TreeSet<>();
                for (Method method : builder.getMethods()) {
                    // An option inherited from StoreSetBuilder returns the builder's erased type, a supertype of the builder.
                    if (!Modifier.isStatic(method.getModifiers()) && method.getReturnType() != Object.class
                            && method.getReturnType().isAssignableFrom(builder)) {
                        methods.add(method.getName());
                    }
                }
                Set<String> listed = new TreeSet<>();
                int row = i + 3; // the marker, the header, the separator
                for (; row < lines.size() && lines.get(row).strip().startsWith("|"); row++) {
                    String first = lines.get(row).strip().substring(1).split("\\|", 2)[0];
                    Matcher option = OPTION.matcher(first);
                    while (option.find()) {
                        listed.add(option.group(1));
                    }
                }
                Set<String> missing = new TreeSet<>(methods);
                missing.removeAll(listed);
                missing.removeAll(except);
                Set<String> unknown = new TreeSet<>(listed);
                unknown.removeAll(methods);
                Set<String> staleExcept = new TreeSet<>(except);
                staleExcept.removeAll(methods);
                if (!missing.isEmpty() || !unknown.isEmpty() || !staleExcept.isEmpty()) {
                    String name = builder.getEnclosingClass() == null ? builder.getSimpleName()
                            : builder.getEnclosingClass().getSimpleName() + "." + builder.getSimpleName();
                    failures.add(where + ": the table of " + name + " options"
                            + (missing.isEmpty() ? "" : " lacks " + missing)
                            + (unknown.isEmpty() ? "" : " lists " + unknown + ", which the builder does not have")
                            + (staleExcept.isEmpty() ? "" : " excepts " + staleExcept + ", which the builder does not have")
                            + "; make the table match " + builder.getName());
                }
            }
        }
        return failures;
    }
}
