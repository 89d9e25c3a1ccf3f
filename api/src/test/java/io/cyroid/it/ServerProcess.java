package io.cyroid.it;

import static org.assertj.core.api.Assertions.fail;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import org.awaitility.core.ConditionTimeoutException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged server as a separate process, so a test can SIGKILL it and start it again on the same stores. */
final class ServerProcess {

    private final Path jar;
    private final Map<String, String> env;
    private final Path log;
    private final int port;
    private Process process;

    ServerProcess(Path jar, Path dataDir, Map<String, String> extraEnv) throws IOException {
        this.jar = jar;
        this.port = freePort();
        this.log = dataDir.resolve("server.log");
        this.env = new HashMap<>(extraEnv);
        env.put("SERVER_PORT", String.valueOf(port));
        env.put("CYROID_DATA_DIR", dataDir.toString());
        env.put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
    }

    int port() {
        return port;
    }

    void start() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Daxoniq.update-checker.disabled=true", "-jar",
                jar.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        process = builder.start();
        awaitHealthy(Duration.ofSeconds(120));
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    private void awaitHealthy(Duration timeout) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
                if (!process.isAlive()) {
                    fail("the server exited with %d: %s", process.exitValue(), tail());
                }
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (IOException notYet) {
                    return false; // not listening yet
                }
            });
        } catch (ConditionTimeoutException e) {
            fail("the server did not become healthy within %s: %s", timeout, tail());
        }
    }

    String tail() throws IOException {
        var lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
