package io.configstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts {@link PostgresChildProcess} JVMs on the test class path and releases them at the same moment. */
final class ChildProcesses {
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> errorLogs = new ArrayList<>();

    /** Starts {@code count} children with the same arguments and waits until each has printed READY. */
    static ChildProcesses start(Path workDir, int count, String... args) throws IOException {
        ChildProcesses children = new ChildProcesses();
        for (int i = 0; i < count; i++) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    PostgresChildProcess.class.getName()));
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

    /** Releases every child at once, then waits for each to print DONE and exit 0. */
    void releaseAndAwaitSuccess() throws Exception {
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

    private String readLine(Process process) throws IOException {
        // One byte at a time, so that nothing after the line is buffered away from the next read.
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

    void destroy() {
        processes.forEach(Process::destroyForcibly);
    }
}
