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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The production event-store configuration on a real PostgreSQL server (scripts/test.sh starts one): the schema
 * comes from the application's migrations, and a range's whole life is stored there.
 */
class PostgresEventStoreIT extends ServerOnRealEngine {

    static final PostgresDatabase DB = PostgresDatabase.fromEnvironment().recreated();

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DB::url);
        registry.add("spring.datasource.username", DB::user);
        registry.add("spring.datasource.password", DB::password);
    }

    @Test
    void aRangeLivesAndDiesInThePostgresEventStore() throws Exception {
        String blueprintId = api.registerBlueprint(sampleBlueprint("it-postgres"));
        String rangeId = api.requestRange(blueprintId, "on-postgres");
        api.awaitStatus(rangeId, "DEPLOYED", Duration.ofSeconds(180));
        api.destroy(rangeId);
        api.awaitStatus(rangeId, "DESTROYED", Duration.ofSeconds(180));
        RealEngine.assertNothingLeft(rangeId);

        try (Connection connection = DB.connect()) {
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

    /** The test database named by scripts/test.sh; a run without it fails rather than skips. */
    record PostgresDatabase(String url, String user, String password) {

        static PostgresDatabase fromEnvironment() {
            String url = System.getenv("CYROID_TEST_POSTGRES_URL");
            if (url == null || url.isBlank()) {
                throw new IllegalStateException("CYROID_TEST_POSTGRES_URL is not set: run the tests with"
                        + " scripts/test.sh, which starts PostgreSQL and sets it");
            }
            return new PostgresDatabase(url, System.getenv().getOrDefault("CYROID_TEST_POSTGRES_USER", "cyroid"),
                    System.getenv().getOrDefault("CYROID_TEST_POSTGRES_PASSWORD", "cyroid"));
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }

        /** Empties the test database, so the application's migrations create the schema from nothing. */
        PostgresDatabase recreated() {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("drop schema public cascade");
                statement.execute("create schema public");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot reset the test database " + url + ": " + e.getMessage(), e);
            }
            return this;
        }
    }
}
