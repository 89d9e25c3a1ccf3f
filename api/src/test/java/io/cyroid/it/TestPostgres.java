package io.cyroid.it;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A fresh PostgreSQL server for one test, through Testcontainers, in the image that scripts/build-postgres-image.sh
 * builds from Debian's packages (no registry is reachable): {@code cyroid/postgres:15}, declared a compatible
 * substitute for the official {@code postgres}, whose start-up it imitates. Each container carries Cyroid's labels
 * ({@code cyroid.managed=true}, {@code cyroid.test=<test>}, and {@code cyroid.test-run=$CYROID_TEST_RUN} when
 * scripts/test.sh runs the tests), listens on loopback only, and has a password of its own. Ryuk is off
 * (TESTCONTAINERS_RYUK_DISABLED); a test stops its containers itself, and Testcontainers' JVM shutdown hook removes
 * any that are left when the test JVM ends.
 */
final class TestPostgres {

    static final String IMAGE_PROPERTY = "cyroid.postgres-image";
    static final DockerImageName IMAGE = DockerImageName.parse(
            System.getProperty(IMAGE_PROPERTY, "cyroid/postgres:15")).asCompatibleSubstituteFor("postgres");

    private TestPostgres() {
    }

    /** A started server with database {@code cyroid}, user {@code cyroid} and a random password. */
    static PostgreSQLContainer<?> started(String test) {
        requireLocalImage();
        PostgreSQLContainer<?> postgres = new PostgreSQLContainer<>(IMAGE)
                .withDatabaseName("cyroid")
                .withUsername("cyroid")
                .withPassword(UUID.randomUUID().toString())
                .withLabel("cyroid.managed", "true")
                .withLabel("cyroid.test", test)
                .withCreateContainerCmdModifier(create -> create.getHostConfig().withPortBindings(
                        // loopback only: the server is for this machine's tests, not for the network
                        new PortBinding(Ports.Binding.bindIp("127.0.0.1"),
                                ExposedPort.tcp(PostgreSQLContainer.POSTGRESQL_PORT))));
        String run = System.getenv("CYROID_TEST_RUN");
        if (run != null && !run.isBlank()) {
            postgres.withLabel("cyroid.test-run", run);
        }
        postgres.start();
        return postgres;
    }

    /** Testcontainers would try to pull a missing image, which cannot work here: say what to do instead. */
    private static void requireLocalImage() {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(IMAGE.asCanonicalNameString()).exec();
        } catch (NotFoundException e) {
            throw new IllegalStateException("image " + IMAGE.asCanonicalNameString() + " is not on the Docker"
                    + " engine: build it with scripts/build-postgres-image.sh (scripts/test.sh does), or name another"
                    + " with -D" + IMAGE_PROPERTY + "=...", e);
        }
    }
}
