package io.configstore.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Finds every {@code ```java} block of every {@code README.md} under a directory and compiles it, so that no README
 * shows code that does not compile. The rules (also stated in the main README, "Documentation that compiles"):
 *
 * <ul>
 *   <li>A block that declares a top-level type (a line starting with {@code class}, {@code interface},
 *       {@code record} or {@code enum}, after any of {@code public}, {@code final}, {@code abstract}) is a whole
 *       compilation unit and compiles as it is.
 *   <li>Any other block is a fragment of statements: its {@code import} lines stay at the top, and the rest becomes
 *       the body of a method {@code void snippet() throws Exception} of a class that imports, on demand, every
 *       configstore package a host uses and {@code java.nio.file}, {@code java.time}, {@code java.util},
 *       {@code java.util.function} ({@link #FRAGMENT_IMPORTS}).
 *   <li>What a fragment uses but does not declare (the host's own objects: {@code apiKey}, {@code client},
 *       {@code log}) is declared in an HTML comment right before the block: a line {@code <!-- java-context}, the
 *       declarations, a line {@code -->}. Its lines become the body of that class (fields, small nested types); they
 *       do not show on the rendered page.
 *   <li>A block right after {@code <!-- java-source: PATH -->} must also equal that file (PATH from the repository
 *       root) without its {@code package} line, and compiles in that file's package: the README then shows a class
 *       that runs in the build. Every other block compiles in a package of its own.
 * </ul>
 *
 * A failure names the README, the block's first line and the compiler's diagnostics with their README line.
 */
final class ReadmeSnippets {
    /** The packages a fragment sees without importing them. */
    static final List<String> FRAGMENT_IMPORTS = List.of("io.configstore", "io.configstore.change",
            "io.configstore.crypto", "io.configstore.effective", "io.configstore.error", "io.configstore.history",
            "io.configstore.migration", "io.configstore.model", "io.configstore.spi",
            "io.configstore.store", "io.configstore.sqlite", "io.configstore.postgres", "io.configstore.mariadb",
            "io.configstore.file",
            "io.configstore.memory", "io.configstore.service", "io.configstore.imports", "java.nio.file",
            "java.time", "java.util", "java.util.function");

    private static final Pattern FENCE = Pattern.compile("^(\\s*)```(\\S*)\\s*$");
    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
            "^(?:(?:public|final|abstract|sealed)\\s+)*(?:class|interface|record|enum)\\s+(\\w+)");
    private static final Pattern SOURCE = Pattern.compile("<!--\\s*java-source:\\s*(\\S+)\\s*-->");

    private ReadmeSnippets() {
    }

    /** One {@code ```java} block: where it is, its lines, and what the comments before it declare. */
    record Block(Path readme, int firstLine, List<String> lines, String context, int contextLine, String source) {
        String where(Path root) {
            return root.relativize(readme) + " block at line " + firstLine;
        }
    }

    /** Every README.md under {@code root}, skipping build output and hidden directories, in path order. */
    static List<Path> readmes(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().equals("README.md"))
                    .filter(p -> !skipped(root.relativize(p)))
                    .sorted(Comparator.comparing(Path::toString)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean skipped(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.equals("target") || name.equals("node_modules") || name.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** The {@code ```java} blocks of one README, the fence's indentation removed from each line. */
    static List<Block> blocks(Path readme) {
        List<String> lines;
        try {
            lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            int indent = open.group(1).length();
            boolean java = open.group(2).toLowerCase(Locale.ROOT).equals("java");
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).trim().equals("```")) {
                end++;
            }
            if (java) {
                List<String> body = new ArrayList<>();
                for (String line : lines.subList(i + 1, Math.min(end, lines.size()))) {
                    body.add(line.length() >= indent && line.substring(0, indent).isBlank()
                            ? line.substring(indent) : line.strip());
                }
                int commentStart = precedingComment(lines, i);
                String context = "";
                String source = null;
                if (commentStart >= 0) {
                    String first = lines.get(commentStart).strip();
                    Matcher named = SOURCE.matcher(first);
                    if (first.equals("<!-- java-context")) {
                        context = String.join("\n", lines.subList(commentStart + 1, i - 1));
                    } else if (named.matches()) {
                        source = named.group(1);
                    }
                }
                // README lines are 1-based: the context's first line is commentStart + 2, the code's is i + 2.
                blocks.add(new Block(readme, i + 2, body, context, commentStart + 2, source));
            }
            i = end;
        }
        return blocks;
    }

    /**
     * The 0-based line where the HTML comment ending on the line right before the fence at {@code fence} starts, or
     * -1 when that line does not end a comment.
     */
    private static int precedingComment(List<String> lines, int fence) {
        int last = fence - 1;
        if (last < 0 || !lines.get(last).strip().endsWith("-->")) {
            return -1;
        }
        int first = last;
        while (first > 0 && !lines.get(first).contains("<!--")) {
            first--;
        }
        return lines.get(first).contains("<!--") ? first : -1;
    }

    /**
     * Compiles every block of every README under {@code root} with {@code classPath}, and checks every
     * {@code java-source} block against its file.
     *
     * @return one message per failing block, naming its README and first line; empty when all compile
     */
    static List<String> check(Path root, String classPath, Path output) throws IOException {
        List<String> failures = new ArrayList<>();
        List<Unit> units = new ArrayList<>();
        for (Path readme : readmes(root)) {
            for (Block block : blocks(readme)) {
                String pkg = "readme.block" + units.size();
                if (block.source() != null) {
                    sourceMismatch(root, block).ifPresent(failures::add);
                    pkg = packageOf(root.resolve(block.source())).orElse(pkg);
                }
                units.add(unit(block, pkg));
            }
        }
        if (units.isEmpty()) {
            return failures;
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            failures.add("no Java compiler in this runtime: run the build on a JDK, not a JRE");
            return failures;
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Files.createDirectories(output);
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            List<String> options = List.of("-classpath", classPath, "-d", output.toString(), "-proc:none",
                    "--release", "17", "-Xlint:none", "-nowarn");
            compiler.getTask(null, files, diagnostics, options, null, units).call();
        }
        Map<Unit, List<String>> errors = new HashMap<>();
        List<Diagnostic<? extends JavaFileObject>> sorted = new ArrayList<>(diagnostics.getDiagnostics());
        sorted.sort(Comparator.comparingLong(Diagnostic::getLineNumber));
        for (Diagnostic<? extends JavaFileObject> diagnostic : sorted) {
            if (diagnostic.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            Unit unit = diagnostic.getSource() instanceof Unit u ? u : null;
            String message = diagnostic.getMessage(Locale.ROOT);
            if (unit == null) {
                failures.add("compiler: " + message);
                continue;
            }
            errors.computeIfAbsent(unit, u -> new ArrayList<>()).add("  " + root.relativize(unit.block.readme())
                    + ":" + unit.readmeLine((int) diagnostic.getLineNumber()) + ": " + message);
        }
        for (Unit unit : units) {
            List<String> found = errors.get(unit);
            if (found != null) {
                failures.add(unit.block.where(root) + " does not compile (" + (unit.whole ? "a whole class"
                        : "a fragment, wrapped in a method") + "):\n" + String.join("\n", found));
            }
        }
        return failures;
    }

    private static java.util.Optional<String> sourceMismatch(Path root, Block block) throws IOException {
        Path file = root.resolve(block.source());
        if (!Files.isRegularFile(file)) {
            return java.util.Optional.of(block.where(root) + " names java-source " + block.source()
                    + ", which does not exist");
        }
        List<String> expected = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        if (!expected.isEmpty() && expected.get(0).startsWith("package ")) {
            expected.remove(0);
            while (!expected.isEmpty() && expected.get(0).isBlank()) {
                expected.remove(0);
            }
        }
        List<String> shown = block.lines();
        for (int i = 0; i < Math.max(expected.size(), shown.size()); i++) {
            String want = i < expected.size() ? expected.get(i) : "<end of file>";
            String got = i < shown.size() ? shown.get(i) : "<end of block>";
            if (!want.equals(got)) {
                return java.util.Optional.of(block.where(root) + " differs from " + block.source() + " at README line "
                        + (block.firstLine() + i) + ": the README shows \"" + got + "\", the file has \"" + want
                        + "\"; copy the file into the README (without its package line)");
            }
        }
        return java.util.Optional.empty();
    }

    /** A block as a compilation unit, with the README line of every line it holds (0 for lines added). */
    static final class Unit extends SimpleJavaFileObject {
        final Block block;
        final boolean whole;
        private final String text;
        private final int[] readmeLines;

        private Unit(Block block, boolean whole, String name, List<String> text, List<Integer> readmeLines) {
            super(URI.create("string:///" + name.replace('.', '/') + ".java"), Kind.SOURCE);
            this.block = block;
            this.whole = whole;
            this.text = String.join("\n", text) + "\n";
            this.readmeLines = readmeLines.stream().mapToInt(Integer::intValue).toArray();
        }

        int readmeLine(int unitLine) {
            if (unitLine < 1 || unitLine > readmeLines.length || readmeLines[unitLine - 1] == 0) {
                return block.firstLine();
            }
            return readmeLines[unitLine - 1];
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }

    /** The package a source file declares on its first line, if it exists and does. */
    private static java.util.Optional<String> packageOf(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return java.util.Optional.empty();
        }
        Matcher declared = Pattern.compile("^package\\s+([\\w.]+)\\s*;").matcher(Files.readString(file));
        return declared.find() ? java.util.Optional.of(declared.group(1)) : java.util.Optional.empty();
    }

    private static Unit unit(Block block, String pkg) {
        List<String> text = new ArrayList<>();
        List<Integer> origin = new ArrayList<>();
        text.add("package " + pkg + ";");
        origin.add(0);
        String typeName = null;
        for (String line : block.lines()) {
            Matcher type = TOP_LEVEL_TYPE.matcher(line);
            if (type.find()) {
                typeName = typeName == null ? type.group(1) : typeName;
            }
        }
        if (typeName != null) {
            for (int i = 0; i < block.lines().size(); i++) {
                text.add(block.lines().get(i));
                origin.add(block.firstLine() + i);
            }
            return new Unit(block, true, pkg + "." + typeName, text, origin);
        }
        List<Integer> statements = new ArrayList<>();
        for (int i = 0; i < block.lines().size(); i++) {
            String line = block.lines().get(i);
            if (line.startsWith("import ")) {
                text.add(line);
                origin.add(block.firstLine() + i);
            } else {
                statements.add(i);
            }
        }
        for (String imported : FRAGMENT_IMPORTS) {
            text.add("import " + imported + ".*;");
            origin.add(0);
        }
        text.add("class Snippet {");
        origin.add(0);
        List<String> context = block.context().lines().toList();
        for (int i = 0; i < context.size(); i++) {
            text.add(context.get(i));
            origin.add(block.contextLine() + i);
        }
        text.add("void snippet() throws Exception {");
        origin.add(0);
        for (int i : statements) {
            text.add(block.lines().get(i));
            origin.add(block.firstLine() + i);
        }
        text.add("}}");
        origin.add(0);
        return new Unit(block, false, pkg + ".Snippet", text, origin);
    }
}
