package io.portcullis.broker;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A command-line program run by an integration test (mosquitto clients, node, a second JVM), with its
 * standard output and error merged and read line by line on a daemon thread so that the test can wait,
 * with a bound, for a given line. {@link #close()} destroys the process if it is still running.
 */
final class ChildProcess implements AutoCloseable {
    private final List<String> command;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final Thread reader;

    private ChildProcess(List<String> command, Process process) {
        this.command = List.copyOf(command);
        this.process = process;
        this.reader = new Thread(this::readOutput, "child-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code command} in {@code workingDirectory}. */
    static ChildProcess start(List<String> command, Path workingDirectory) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectErrorStream(true);
        return new ChildProcess(command, builder.start());
    }

    /** The absolute path of {@code program} found on PATH, or a test failure naming what to install. */
    static String onPath(String program, String howToInstall) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String directory : path.split(File.pathSeparator)) {
                Path candidate = Path.of(directory, program);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        throw new AssertionError(program + " is not on PATH; " + howToInstall);
    }

    long pid() {
        return process.pid();
    }

    /** Asks the process to stop: SIGTERM on Linux and macOS, as a service manager would. */
    void terminate() {
        process.destroy();
    }

    /** Waits up to {@code timeout} for a line matching {@code expected}; lines before it are kept. */
    Optional<String> awaitLine(Predicate<String> expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            String line = lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                return Optional.empty();
            }
            synchronized (seen) {
                seen.add(line);
            }
            if (expected.test(line)) {
                return Optional.of(line);
            }
        }
        return Optional.empty();
    }

    /** Waits up to {@code timeout} for the process to end; returns its exit code, or empty if still running. */
    Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return Optional.empty();
        }
        // The reader ends at end of stream, shortly after the process; join so output() is complete.
        reader.join(TimeUnit.SECONDS.toMillis(5));
        return Optional.of(process.exitValue());
    }

    /** Everything printed so far, for assertion messages. */
    String output() {
        List<String> all;
        synchronized (seen) {
            all = new ArrayList<>(seen);
        }
        all.addAll(lines);
        return String.join(System.lineSeparator(), all);
    }

    /** What ran and what it printed, for assertion messages. */
    String describe() {
        return String.join(" ", command) + System.lineSeparator() + "printed:" + System.lineSeparator() + output();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private void readOutput() {
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // The stream closes when the process is destroyed; what was read is all there is.
        }
    }
}
