package io.cyroid.it;

import io.cyroid.api.CyroidApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole server on a random port, with fresh embedded stores, provisioning on the real host engine.
 * Subclasses may replace the event store (see {@link PostgresEventStoreIT}).
 */
@SpringBootTest(classes = CyroidApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ServerOnRealEngine {

    static final String PASSWORD = "it-secret";

    @LocalServerPort
    int port;

    ApiClient api;

    @DynamicPropertySource
    static void stores(DynamicPropertyRegistry registry) {
        Path data = tempDir(Path.of(System.getProperty("java.io.tmpdir")), "cyroid-it-data");
        registry.add("cyroid.data-dir", data::toString);
        // unix socket paths are limited to 107 bytes: keep the socket folder short
        registry.add("cyroid.provisioning.socket-dir", () -> tempDir(Path.of("/tmp"), "cys").toString());
        registry.add("cyroid.security.admin-password", () -> PASSWORD);
    }

    @BeforeEach
    void client() {
        api = new ApiClient("http://127.0.0.1:" + port, PASSWORD);
    }

    static Path tempDir(Path parent, String prefix) {
        try {
            return Files.createTempDirectory(parent, prefix).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sampleBlueprint(String name) {
        return """
                name: %s
                networks:
                  - {name: lan, subnet: 10.0.1.0/24, gateway: 10.0.1.1}
                  - {name: dmz, subnet: 10.0.2.0/24, gateway: 10.0.2.1}
                vms:
                  - name: web
                    image: cyroid/vm-busybox:latest
                    hostname: web
                    interfaces: [{network: lan, ip: 10.0.1.10}, {network: dmz, ip: 10.0.2.10}]
                    env: {ROLE: web}
                    command: ["sleep", "infinity"]
                  - name: db
                    image: cyroid/vm-busybox:latest
                    hostname: db
                    interfaces: [{network: lan, ip: 10.0.1.20}]
                    command: ["sleep", "infinity"]
                resources: {memory: 1g, cpus: 1}
                """.formatted(name);
    }
}
