package io.configstore.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real shaded jar as a process, in a working directory, with a controlled environment. */
final class CliProcess {
    static final String JAR_PROPERTY = "configstore.cli.jar";
    static final String TEST_CLASSES_PROPERTY = "configstore.cli.testClasses";

    /** What a run printed and returned. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path workingDirectory;
    private final Map<String, String> environment = new HashMap<>();
    private final boolean withTestBackend;
    /** Backends' classes put on the class path beside the tool's jar, as a host that ships them would. */
    private final List<Path> backendClassPath = new ArrayList<>();

    CliProcess(Path workingDirectory, String masterKey, boolean withTestBackend) {
        this.workingDirectory = workingDirectory;
        this.withTestBackend = withTestBackend;
        environment.put("CONFIGSTORE_MASTER_KEY", masterKey);
    }

    static Path jar() {
        String jar = System.getProperty(JAR_PROPERTY);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new AssertionError("the shaded jar (system property " + JAR_PROPERTY + " = " + jar + ") does not"
                    + " exist: run these tests through Maven's integration-test phase (mvn verify), after package");
        }
        return Path.of(jar);
    }

    CliProcess env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Puts {@code classes} (a backend's jar or class directory) on the class path beside the tool's jar. */
    CliProcess withBackend(Path classes) {
        backendClassPath.add(classes);
        return this;
    }

    Result run(String... args) {
        return runWithInput(null, args);
    }

    Result runWithInput(String stdin, String... args) {
        return start(command(args), stdin, args);
    }

    /**
     * Runs the tool on a pseudo-terminal made by util-linux {@code script}, as a user at a terminal would: standard
     * output and standard error both arrive in {@link Result#out()}, with the terminal's line endings.
     */
    Result runOnTerminal(String... args) {
        String quoted = command(args).stream().map(CliProcess::shellQuote)
                .collect(java.util.stream.Collectors.joining(" "));
        return start(List.of("script", "-qec", quoted, "/dev/null"), null, args);
    }

    private static String shellQuote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (withTestBackend || !backendClassPath.isEmpty()) {
            List<String> classPath = new ArrayList<>();
            classPath.add(jar().toString());
            if (withTestBackend) {
                classPath.add(System.getProperty(TEST_CLASSES_PROPERTY));
            }
            backendClassPath.forEach(entry -> classPath.add(entry.toString()));
            command.add("-cp");
            command.add(String.join(java.io.File.pathSeparator, classPath));
            command.add(ConfigstoreCli.class.getName());
        } else {
            command.add("-jar");
            command.add(jar().toString());
        }
        command.addAll(List.of(args));
        return command;
    }

    private Result start(List<String> command, String stdin, String... args) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("CONFIGSTORE_"));
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("configstore " + String.join(" ", args) + " did not finish in 120 s");
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String read(java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<unreadable: " + e + ">";
        }
    }
}
