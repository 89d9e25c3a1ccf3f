package io.cyroid.it;

import io.cyroid.api.CyroidApplication;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole server on a random port, with fresh embedded stores, provisioning on the real host engine.
 * Subclasses may replace the event store (see {@link PostgresEventStoreIT}). The server stops after its class: a
 * cached context would keep its event processors running and take part in a later test's provisioning.
 */
@SpringBootTest(classes = CyroidApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
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

    /** A test that failed half-way may have left a range running: nothing of it stays on the engine. */
    @AfterEach
    void removeLeftovers() {
        api.requested.forEach(RealEngine::removeLeftovers);
    }

    static Path tempDir(Path parent, String prefix) {
        try {
            return Files.createTempDirectory(parent, prefix).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample blueprint that ships with the server (and scripts/run.sh registers), under another name. */
    static String sampleBlueprint(String name) {
        try {
            String sample = new ClassPathResource("samples/corp-lan.yaml").getContentAsString(StandardCharsets.UTF_8);
            assertThat(sample).contains("name: corp-lan\n");
            return sample.replace("name: corp-lan\n", "name: " + name + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
