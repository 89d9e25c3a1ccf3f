package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.FileSystemUtils;

/**
 * The whole application on a random port, with the embedded stores (H2 event store, MongoDB-wire read store) in a
 * data folder of its own: each test class gets a fresh application context and fresh folders, so no class sees
 * another's blueprints or ranges. The Docker engine is the real one of the machine.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cyroid.security.admin-password=" + ApiTestSupport.PASSWORD,
        // Graceful shutdown waits up to 30 s for connections Reactor Netty still counts as active (an SSE stream, a
        // keep-alive connection whose POST was answered 401 before its body was read); the tests do not test it.
        "server.shutdown=immediate"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class ApiTestSupport {

    protected static final String USER = "admin";
    protected static final String PASSWORD = "test-secret";

    private static final List<Path> FOLDERS = new CopyOnWriteArrayList<>();

    static {
        // The contexts are closed after each class (DirtiesContext); the folders go when the test JVM ends.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> FOLDERS.forEach(folder -> {
            try {
                FileSystemUtils.deleteRecursively(folder);
            } catch (IOException ignored) {
                // a temp folder left behind is no test failure
            }
        })));
    }

    /** Called once for every context that is started, so every test class has folders of its own. */
    @DynamicPropertySource
    static void ownStores(DynamicPropertyRegistry registry) {
        Path dataDir = folder(null, "cyroid-api-test").toAbsolutePath();
        // Unix socket paths are limited to 107 bytes: the per-range sockets live under a short folder.
        Path socketDir = folder(Path.of("/tmp"), "cy").toAbsolutePath();
        registry.add("cyroid.data-dir", dataDir::toString);
        registry.add("cyroid.provisioning.socket-dir", socketDir::toString);
    }

    private static Path folder(Path parent, String prefix) {
        try {
            Path folder = parent == null ? Files.createTempDirectory(prefix)
                    : Files.createTempDirectory(parent, prefix);
            FOLDERS.add(folder);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Autowired
    private WebTestClient client;

    /** Without credentials. */
    protected WebTestClient anonymous;

    /** As the admin user, with HTTP Basic. */
    protected WebTestClient api;

    /** Data folder of each test class's context: no two classes may share one. */
    private static final Map<String, Class<?>> DATA_DIR_OWNERS = new ConcurrentHashMap<>();

    @Value("${cyroid.data-dir}")
    private String dataDir;

    @BeforeEach
    void ownDataFolder() {
        Class<?> owner = DATA_DIR_OWNERS.putIfAbsent(dataDir, getClass());
        assertThat(owner == null ? getClass() : owner).as("test class using data folder %s", dataDir)
                .isEqualTo(getClass());
    }

    @BeforeEach
    void authenticate() {
        anonymous = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        api = anonymous.mutate().defaultHeaders(headers -> headers.setBasicAuth(USER, PASSWORD)).build();
    }

    /** The {@code field} of every entry of a problem's {@code errors}, in order. */
    protected static List<String> errorFields(WebTestClient.ResponseSpec response) {
        ProblemBody problem = response
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(ProblemBody.class).returnResult().getResponseBody();
        assertThat(problem).isNotNull();
        assertThat(problem.errors()).as("errors of %s", problem).isNotNull();
        return problem.errors().stream().map(ProblemBody.FieldError::field).toList();
    }

    /** The parts of an RFC 9457 problem the API fills in. */
    public record ProblemBody(String type, String title, Integer status, String detail, String instance,
                              List<FieldError> errors) {
        public record FieldError(String field, String message) {
        }
    }
}
