package io.cyroid.api.blueprint;

import io.cyroid.blueprint.*;

import io.cyroid.api.Blocking;
import io.cyroid.api.ConflictException;
import io.cyroid.api.IdProvider;
import io.cyroid.api.InvalidRequestException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Blueprints: validated before anything is stored, unique by name, read back as the parser's records. */
@Service
public class BlueprintStore {

    private final MongoTemplate mongo;
    private final IdProvider ids;
    private final BlueprintValidator validator;
    private final Clock clock = Clock.systemUTC();

    public BlueprintStore(MongoTemplate mongo, IdProvider ids, BlueprintLimitsProperties limits) {
        this.mongo = mongo;
        this.ids = ids;
        this.validator = new BlueprintValidator(limits.limits());
    }

    public record StoredBlueprint(String id, String name, String createdBy, Instant createdAt, Blueprint blueprint) {
    }

    public Mono<StoredBlueprint> register(Blueprint blueprint, String user) {
        try {
            requireValid(blueprint);
        } catch (InvalidRequestException e) {
            return Mono.error(e);
        }
        return Blocking.call(() -> {
            if (findByName(blueprint.name()).isPresent()) {
                throw new ConflictException("a blueprint named " + blueprint.name() + " exists already");
            }
            BlueprintDocument document = new BlueprintDocument();
            document.id = ids.get();
            document.name = blueprint.name();
            document.json = BlueprintParser.toJson(blueprint);
            document.createdBy = user;
            document.createdAt = clock.instant();
            try {
                mongo.insert(document);
            } catch (DuplicateKeyException e) {
                throw new ConflictException("a blueprint named " + blueprint.name() + " exists already");
            }
            return toStored(document);
        });
    }

    /**
     * This server's rules and limits, also at deploy: a blueprint stored under older rules or larger limits must not
     * reach a Docker step that it would fail.
     *
     * @throws InvalidRequestException naming every violation
     */
    public void requireValid(Blueprint blueprint) {
        List<Violation> violations = validator.validate(blueprint);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException("the blueprint is invalid", violations);
        }
    }

    public Mono<StoredBlueprint> find(String id) {
        return Blocking.call(() -> Optional.ofNullable(mongo.findById(id, BlueprintDocument.class))
                .map(BlueprintStore::toStored).orElse(null));
    }

    public Mono<List<StoredBlueprint>> list() {
        return Blocking.call(() -> mongo.find(new Query().with(Sort.by("name")), BlueprintDocument.class)
                .stream().map(BlueprintStore::toStored).toList());
    }

    /** Blocking; for start-up work only. */
    public Optional<BlueprintDocument> findByName(String name) {
        return Optional.ofNullable(mongo.findOne(Query.query(Criteria.where("name").is(name)),
                BlueprintDocument.class));
    }

    private static StoredBlueprint toStored(BlueprintDocument document) {
        return new StoredBlueprint(document.id, document.name, document.createdBy, document.createdAt,
                BlueprintParser.fromJson(document.json));
    }
}
