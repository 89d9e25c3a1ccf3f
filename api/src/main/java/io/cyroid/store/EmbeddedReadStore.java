package io.cyroid.store;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandSucceededEvent;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The read models' store when no MongoDB is configured (no SPRING_DATA_MONGODB_URI): an in-process MongoDB-wire
 * server keeping its data in an H2 file under the data folder, on a loopback port chosen at start. Every write is
 * committed to the file at once (below). The read models (ranges, blueprints) can be rebuilt from the event store;
 * only the collection {@code blueprints} of before blueprints were event-sourced is not, until the server has carried
 * it over at start (LegacyBlueprints).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedReadStore.NoMongoUri.class)
public class EmbeddedReadStore {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedReadStore.class);

    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findAndModify", "drop",
            "dropDatabase", "createIndexes", "dropIndexes");

    @Bean(destroyMethod = "close")
    MVStore embeddedReadModelFile(@Value("${cyroid.data-dir:./data}") Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data folder " + dataDir.toAbsolutePath(), e);
        }
        Path file = dataDir.resolve("read-models.mv");
        log.info("embedded read-model store in {}", file.toAbsolutePath());
        return new MVStore.Builder().fileName(file.toString()).open();
    }

    @Bean
    H2Backend embeddedReadModelBackend(MVStore file) {
        return new H2Backend(file);
    }

    @Bean(destroyMethod = "shutdown")
    MongoServer embeddedMongoServer(H2Backend backend) {
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", 0);
        return server;
    }

    /**
     * Every acknowledged write is committed to the file before the projection returns, so a projection's tracking
     * token (stored after the handler, in the event store's database) is never ahead of what survives a SIGKILL.
     */
    @Bean(destroyMethod = "close")
    MongoClient mongoClient(MongoServer server, H2Backend backend) {
        CommandListener commitWrites = new CommandListener() {
            @Override
            public void commandSucceeded(CommandSucceededEvent event) {
                if (WRITES.contains(event.getCommandName())) {
                    backend.commit();
                }
            }
        };
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(server.getConnectionString()))
                .addCommandListener(commitWrites)
                .build());
    }

    /** Replaces Boot's MongoDB health check, whose "hello" command the embedded server does not know. */
    @Bean
    HealthIndicator mongoHealthIndicator(MongoTemplate mongo) {
        return () -> {
            mongo.executeCommand("{ping: 1}");
            return Health.up().withDetail("store", "embedded").build();
        };
    }

    static class NoMongoUri implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String uri = context.getEnvironment().getProperty("spring.data.mongodb.uri");
            return uri == null || uri.isBlank();
        }
    }
}
