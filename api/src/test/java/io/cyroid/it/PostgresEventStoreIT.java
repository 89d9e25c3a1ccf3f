package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The production event-store configuration on a real PostgreSQL server, a Testcontainers container of the locally
 * built cyroid/postgres image ({@link TestPostgres}): the schema comes from the application's migrations, and a
 * range's whole life is stored there. The server stops with the application context, after the application.
 */
@Import(PostgresEventStoreIT.StopPostgresWithTheApplication.class)
class PostgresEventStoreIT extends ServerOnRealEngine {

    static PostgreSQLContainer<?> postgres;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        postgres = TestPostgres.started(PostgresEventStoreIT.class.getSimpleName());
        registry.add("spring.datasource.url", postgres::getJdbcUrl);
        registry.add("spring.datasource.username", postgres::getUsername);
        registry.add("spring.datasource.password", postgres::getPassword);
    }

    /** Stops the server when the context closes, once the application (its processors) has stopped using it. */
    @TestConfiguration(proxyBeanMethods = false)
    static class StopPostgresWithTheApplication {
        @Bean
        AutoCloseable stopPostgres() {
            return () -> postgres.stop();
        }
    }

    @Test
    void aRangeLivesAndDiesInThePostgresEventStore() throws Exception {
        String blueprintId = api.registerBlueprint(sampleBlueprint("it-postgres"));
        String rangeId = api.requestRange(blueprintId, "on-postgres");
        api.awaitStatus(rangeId, "DEPLOYED", Duration.ofSeconds(180));
        api.destroy(rangeId);
        api.awaitStatus(rangeId, "DESTROYED", Duration.ofSeconds(180));
        RealEngine.assertNothingLeft(rangeId);

        try (Connection connection = DriverManager.getConnection(postgres.getJdbcUrl(), postgres.getUsername(),
                postgres.getPassword())) {
            assertThat(count(connection, "select count(*) from flyway_schema_history where success")).isPositive();
            try (PreparedStatement events = connection.prepareStatement(
                    "select count(*) from domainevententry where aggregateidentifier = ?")) {
                events.setString(1, rangeId);
                try (ResultSet result = events.executeQuery()) {
                    result.next();
                    assertThat(result.getLong(1)).isEqualTo(11); // 8 to deploy, 3 to destroy
                }
            }
            assertThat(count(connection, "select count(*) from tokenentry")).isPositive();
            assertThat(count(connection, "select count(*) from sagaentry")).as("the saga ended").isZero();
            assertThat(count(connection, "select count(*) from scheduled_tasks"))
                    .as("the deploy deadline, cancelled once deployed").isZero();
        }
        assertThat(RangeDeploymentIT.types(api.events(rangeId))).hasSize(11).endsWith("RangeDestroyed");
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
