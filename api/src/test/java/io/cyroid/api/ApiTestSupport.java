package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import io.cyroid.api.range.RangeController.Accepted;
import io.cyroid.api.range.RangeHistory;
import io.cyroid.messages.RangeStatus;
import io.cyroid.messages.RangeView;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.FileSystemUtils;

/**
 * The whole application on a random port, with the embedded stores (H2 event store, MongoDB-wire read store) in a
 * data folder of its own: each test class gets a fresh application context and fresh folders, so no class sees
 * another's blueprints or ranges. Which engine: the real one of the machine, unless the class extends
 * {@link WithoutEngine} (fakes of the engine ports; no Docker engine needed). Real-engine classes are {@code *IT}.
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

    static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(90);
    static final ParameterizedTypeReference<ServerSentEvent<RangeView>> RANGE_EVENT =
            new ParameterizedTypeReference<>() {
            };

    protected List<RangeView> ranges() {
        return api.get().uri("/api/v1/ranges").exchange()
                .expectStatus().isOk()
                .expectBodyList(RangeView.class).returnResult().getResponseBody();
    }

    protected WebTestClient.ResponseSpec deploy(Object request) {
        return api.post().uri("/api/v1/ranges").contentType(MediaType.APPLICATION_JSON).bodyValue(request)
                .exchange();
    }

    /** The sample blueprint that ships with the server, under another name (and with other resources if given). */
    protected String sampleYaml(String name) {
        try {
            String yaml = new ClassPathResource("samples/corp-lan.yaml").getContentAsString(StandardCharsets.UTF_8);
            assertThat(yaml).startsWith("name: corp-lan\n");
            return yaml.replaceFirst("name: corp-lan\n", "name: " + name + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected String register(String yaml) {
        return api.post().uri("/api/v1/blueprints").contentType(MediaType.parseMediaType("application/yaml"))
                .bodyValue(yaml).exchange()
                .expectStatus().isCreated()
                .expectBody(new ParameterizedTypeReference<Map<String, String>>() {
                }).returnResult().getResponseBody().get("id");
    }

    /**
     * The sample (two VMs in one DinD) deployed and followed on its SSE stream from right after the 202, then
     * destroyed, on whatever engine the class runs with. Whatever happens, the range is destroyed before this
     * returns, and it returns once the range is DESTROYED.
     */
    protected FollowedRange aRangeIsDeployedFollowedLiveThenDestroyedOnce(String blueprintName) {
        String blueprintId = register(sampleYaml(blueprintName));
        Instant requested = Instant.now();

        Accepted accepted = deploy(Map.of("blueprintId", blueprintId, "name", "sse range")).expectStatus()
                .isAccepted()
                .expectBody(Accepted.class).returnResult().getResponseBody();
        assertThat(accepted.status()).isEqualTo(RangeStatus.REQUESTED);
        String rangeId = accepted.rangeId();
        boolean destroyRequested = false;
        List<RangeView> states;
        try {
            // followed right after the 202, as a client does: the range must not be "not found" then
            states = follow(rangeId);

            // the first event is the state when the stream opened: on a fast engine that may be DEPLOYED already
            assertThat(states).extracting(RangeView::updatedAt).isSortedAccordingTo(Instant::compareTo);
            RangeView deployed = states.get(states.size() - 1);
            assertThat(deployed.status()).as("last streamed state: %s", deployed).isEqualTo(RangeStatus.DEPLOYED);
            assertThat(deployed.name()).isEqualTo("sse range");
            assertThat(deployed.blueprintId()).isEqualTo(blueprintId);
            assertThat(deployed.createdBy()).isEqualTo(USER);
            assertThat(deployed.deployedAt()).isAfterOrEqualTo(deployed.createdAt());
            assertThat(deployed.createdAt()).isAfterOrEqualTo(requested.minusSeconds(1));
            assertThat(deployed.dind()).isNotNull();
            assertThat(deployed.vms()).extracting(RangeView.Vm::name, RangeView.Vm::status)
                    .containsExactly(tuple("web", "RUNNING"), tuple("db", "RUNNING"));
            assertThat(ranges()).extracting(RangeView::rangeId).contains(rangeId);

            api.delete().uri("/api/v1/ranges/{id}", rangeId).exchange()
                    .expectStatus().isAccepted()
                    .expectBody(Accepted.class).isEqualTo(new Accepted(rangeId, RangeStatus.DESTROYING));
            destroyRequested = true;

            api.delete().uri("/api/v1/ranges/{id}", rangeId).exchange()
                    .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.status").isEqualTo(409);

            RangeView destroyed = awaitStatus(rangeId, RangeStatus.DESTROYED);
            assertThat(destroyed.vms()).extracting(RangeView.Vm::status).containsOnly("REMOVED");

            List<RangeHistory.Entry> history = api.get().uri("/api/v1/ranges/{id}/events", rangeId).exchange()
                    .expectStatus().isOk()
                    .expectBodyList(RangeHistory.Entry.class).returnResult().getResponseBody();
            // networks and images are created side by side, in the engine's order
            assertThat(history).extracting(RangeHistory.Entry::type).containsExactlyInAnyOrder("RangeRequested",
                    "DinDCreated", "NetworkCreated", "NetworkCreated", "ImagesSeeded", "VmStarted", "VmStarted",
                    "RangeDeployed", "RangeDestroyRequested", "DinDRemoved", "RangeDestroyed");
            assertThat(history.get(1).type()).isEqualTo("DinDCreated");
            assertThat(history.get(7).type()).isEqualTo("RangeDeployed");
            assertThat(history).extracting(RangeHistory.Entry::sequence)
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(history.get(0).user()).isEqualTo(USER);
        } finally {
            if (!destroyRequested) {
                api.delete().uri("/api/v1/ranges/{id}", rangeId).exchange();
            }
            awaitStatus(rangeId, RangeStatus.DESTROYED);
        }
        return new FollowedRange(rangeId, states);
    }

    /** A range that was deployed and destroyed, and the states its stream sent until it was deployed. */
    protected record FollowedRange(String rangeId, List<RangeView> streamed) {
    }

    /** The range's SSE stream, opened at once, until the range is deployed or has failed. */
    protected List<RangeView> follow(String rangeId) {
        List<ServerSentEvent<RangeView>> events = api.get().uri("/api/v1/ranges/{id}/stream", rangeId)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .returnResult(RANGE_EVENT).getResponseBody()
                .filter(event -> event.data() != null) // not the keep-alive comments
                .takeUntil(event -> event.data().status() == RangeStatus.DEPLOYED
                        || event.data().status() == RangeStatus.FAILED)
                .timeout(DEPLOY_TIMEOUT)
                .collectList()
                .block(DEPLOY_TIMEOUT.plusSeconds(10));
        assertThat(events).isNotEmpty().allSatisfy(event -> {
            assertThat(event.event()).isEqualTo("range");
            assertThat(event.id()).isEqualTo(String.valueOf(event.data().version()));
            assertThat(event.data().rangeId()).isEqualTo(rangeId);
        });
        assertThat(events).extracting(event -> event.data().version()).as("event ids only grow").isSorted()
                .doesNotHaveDuplicates();
        return events.stream().map(ServerSentEvent::data).toList();
    }

    /** The range as the API shows it, once it has the status. */
    protected RangeView awaitStatus(String rangeId, RangeStatus status) {
        AtomicReference<RangeView> last = new AtomicReference<>();
        await().atMost(DEPLOY_TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            var result = api.get().uri("/api/v1/ranges/{id}", rangeId).exchange().returnResult(RangeView.class);
            last.set(result.getStatus().is2xxSuccessful() ? result.getResponseBody().blockFirst() : null);
            assertThat(last.get()).as("range %s (HTTP %s)", rangeId, result.getStatus()).isNotNull()
                    .extracting(RangeView::status).as("status of %s", last.get()).isEqualTo(status);
        });
        return last.get();
    }

    /** The parts of an RFC 9457 problem the API fills in. */
    public record ProblemBody(String type, String title, Integer status, String detail, String instance,
                              List<FieldError> errors) {
        public record FieldError(String field, String message) {
        }
    }
}
