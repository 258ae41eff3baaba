package io.configstore.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Child JVMs for cross-process tests: starts several processes running one main class on the test class path,
 * waits until each prints {@code READY}, then releases them at the same moment (each reads a line from standard
 * input) and expects each to print {@code DONE} and exit 0. Backends use it to prove that two processes sharing one
 * storage lose nothing.
 *
 * <pre>{@code
 * ChildJvms children = ChildJvms.start(MyChild.class, tempDir, 2, "increment", db.toString());
 * try {
 *     children.releaseAndAwaitSuccess();
 * } finally {
 *     children.destroy();
 * }
 * }</pre>
 */
public final class ChildJvms {
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> errorLogs = new ArrayList<>();

    private ChildJvms() {
    }

    /**
     * Starts {@code count} JVMs running {@code mainClass} with the same arguments, their standard error logged under
     * {@code workDir}, and waits until each has printed READY.
     */
    public static ChildJvms start(Class<?> mainClass, Path workDir, int count, String... args) throws IOException {
        ChildJvms children = new ChildJvms();
        for (int i = 0; i < count; i++) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    mainClass.getName()));
            command.addAll(List.of(args));
            Path errors = workDir.resolve("child-" + i + ".err");
            Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            children.processes.add(process);
            children.errorLogs.add(errors);
        }
        for (Process process : children.processes) {
            String line = children.readLine(process);
            assertThat(line).as("child startup; stderr: %s", children.errors()).isEqualTo("READY");
        }
        return children;
    }

    /** Releases every child at once, then waits for each to print DONE and exit 0, failing the test otherwise. */
    public void releaseAndAwaitSuccess() throws Exception {
        for (Process process : processes) {
            OutputStream in = process.getOutputStream();
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
        for (Process process : processes) {
            String line = readLine(process);
            boolean exited = process.waitFor(120, TimeUnit.SECONDS);
            assertThat(exited).as("child exited in time; stderr: %s", errors()).isTrue();
            assertThat(process.exitValue()).as("child exit code; stderr: %s", errors()).isZero();
            assertThat(line).isEqualTo("DONE");
        }
    }

    /** The next line {@code process} prints, without buffering past it; empty at the end of its output. */
    public static String readLine(Process process) throws IOException {
        // Reads one byte at a time so that nothing after the line is buffered away from the next read.
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = process.getInputStream().read()) != -1 && c != '\n') {
            line.append((char) c);
        }
        return line.toString().strip();
    }

    private String errors() {
        StringBuilder all = new StringBuilder();
        for (Path log : errorLogs) {
            try {
                all.append(Files.readString(log));
            } catch (IOException e) {
                all.append("(unreadable ").append(log).append(')');
            }
        }
        return all.toString();
    }

    /** Kills every child still running; call it in a {@code finally}. */
    public void destroy() {
        processes.forEach(Process::destroyForcibly);
    }

    /**
     * Starts one JVM running {@code mainClass} on the test class path with extra JVM options (a small heap, a quick
     * start), its standard error logged to {@code errorLog}, and returns it once it has printed READY; its later
     * lines are read with {@link #readLine(Process)}. Crash tests use it to kill a child at a moment of their choice.
     */
    public static Process startOne(Class<?> mainClass, Path errorLog, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(errorLog.toFile()).start();
        String line = readLine(process);
        if (!"READY".equals(line)) {
            process.destroyForcibly();
            throw new AssertionError("child did not start (printed '" + line + "'); stderr: "
                    + Files.readString(errorLog));
        }
        return process;
    }
}
