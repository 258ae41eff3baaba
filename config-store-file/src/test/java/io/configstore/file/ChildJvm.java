package io.configstore.file;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts one {@link FileChildProcess} in a new JVM for the crash test, which reads the child's output itself
 * ({@link io.configstore.testkit.internal.ChildJvms} expects READY and DONE from children that finish).
 */
final class ChildJvm {
    private ChildJvm() {
    }

    static Process start(Path errors, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                FileChildProcess.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(errors.toFile()).start();
    }

    /** One line of the child's stdout, read a byte at a time so nothing after it is buffered away. */
    static String readLine(Process process) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = process.getInputStream().read()) != -1 && c != '\n') {
            line.append((char) c);
        }
        return line.toString().strip();
    }
}
