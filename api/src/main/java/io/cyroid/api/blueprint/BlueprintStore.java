package io.cyroid.api.blueprint;

import io.cyroid.api.AxonConfiguration;
import io.cyroid.api.Blocking;
import io.cyroid.api.ConflictException;
import io.cyroid.api.IdProvider;
import io.cyroid.api.InvalidRequestException;
import io.cyroid.api.NotFoundException;
import io.cyroid.api.UnavailableException;
import io.cyroid.blueprint.Blueprint;
import io.cyroid.blueprint.BlueprintValidator;
import io.cyroid.blueprint.ReservedSubnets;
import io.cyroid.blueprint.Violation;
import io.cyroid.blueprintview.BlueprintProjection;
import io.cyroid.messages.BlueprintVersionView;
import io.cyroid.messages.BlueprintView;
import io.cyroid.messages.FindBlueprint;
import io.cyroid.messages.FindBlueprintByName;
import io.cyroid.messages.LegacyOrigin;
import io.cyroid.messages.ListBlueprintVersions;
import io.cyroid.messages.ListBlueprints;
import io.cyroid.messages.RegisterBlueprint;
import io.cyroid.messages.RetireBlueprint;
import io.cyroid.messages.ReviseBlueprint;
import io.cyroid.provisioning.ProvisioningProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Blueprints, for the API: validated here with this server's rules and limits, then registered, revised or retired
 * through the Blueprint aggregate (the event store is their record), and read from the blueprint projection.
 *
 * <p><b>Names are unique across blueprints</b>, a rule no single aggregate can check. It is checked here, before a
 * command is sent, against the read model and against the names this node is registering right now (claims held
 * until the read model shows the change), and only once the projection has caught up with the event store. What
 * remains open: two <em>nodes</em> registering the same name within the moment before either's projection shows it
 * (one node, the default, has no such window), and a name that the read model shows late because the projection
 * took longer than {@link #READ_MODEL_WAIT}. Retired blueprints keep their names.
 *
 * <p>Every write waits (on bounded-elastic, at most {@link #READ_MODEL_WAIT}) until the read model shows it, so a
 * GET right after the answer sees the change.
 */
@Service
public class BlueprintStore {

    static final Duration READ_MODEL_WAIT = Duration.ofSeconds(5);
    /** How long a name check waits for a projection that is still replaying (after a reset, at start) to catch up. */
    static final Duration CATCH_UP_WAIT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(BlueprintStore.class);

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final EventProcessingConfiguration processing;
    private final IdProvider ids;
    private final BlueprintValidator validator;
    /** name -> id of the blueprint this node is giving it, from the check until the read model shows it. */
    private final Map<String, String> claims = new ConcurrentHashMap<>();

    public BlueprintStore(CommandGateway commands, QueryGateway queries, EventProcessingConfiguration processing,
                          IdProvider ids, BlueprintLimitsProperties limits, ProvisioningProperties provisioning) {
        this.commands = commands;
        this.queries = queries;
        this.processing = processing;
        this.ids = ids;
        // the management subnets as configured: a range network on them would take over the host's own traffic
        this.validator = new BlueprintValidator(limits.limits(), ReservedSubnets.withManagement(
                provisioning.getMgmtSubnet(), provisioning.getRangesSubnet()));
    }

    /**
     * A blueprint as the API shows it. The first five fields are those of before blueprints had versions; the rest
     * came with them.
     */
    public record StoredBlueprint(String id, String name, String createdBy, Instant createdAt, Blueprint blueprint,
                                  Integer version, String revisedBy, Instant revisedAt, boolean retired,
                                  String retiredBy, Instant retiredAt) {

        static StoredBlueprint of(BlueprintView view) {
            return new StoredBlueprint(view.id(), view.name(), view.createdBy(), view.createdAt(), view.blueprint(),
                    view.version(), view.revisedBy(), view.revisedAt(), view.retired(), view.retiredBy(),
                    view.retiredAt());
        }
    }

    public Mono<StoredBlueprint> register(Blueprint blueprint, String user) {
        try {
            requireValid(blueprint);
        } catch (InvalidRequestException e) {
            return Mono.error(e);
        }
        String id = ids.get();
        return Blocking.call(() -> withName(blueprint.name(), id, () -> {
            commands.sendAndWait(new RegisterBlueprint(id, blueprint, user), metaData(user));
            return awaitView(id, view -> true).orElseGet(() -> new StoredBlueprint(id, blueprint.name(), user,
                    null, blueprint, 1, null, null, false, null, null));
        }));
    }

    /**
     * A new version: validated like a new blueprint. 404 for an unknown blueprint, 409 for a retired one or a name
     * another blueprint has.
     */
    public Mono<StoredBlueprint> revise(String id, Blueprint blueprint, String user) {
        try {
            requireValid(blueprint);
        } catch (InvalidRequestException e) {
            return Mono.error(e);
        }
        return Blocking.call(() -> {
            BlueprintView current = current(id);
            requireNotRetired(current, "revised");
            return withName(blueprint.name(), id, () -> {
                // the aggregate decides (and refuses a retired blueprint itself: a retirement may have come since)
                int version = commands.sendAndWait(new ReviseBlueprint(id, blueprint, user), metaData(user));
                return awaitView(id, view -> view.version() >= version).orElseThrow();
            });
        });
    }

    /** Retired: no longer revisable or deployable, no longer listed by default. Retiring twice changes nothing. */
    public Mono<StoredBlueprint> retire(String id, String user) {
        return Blocking.call(() -> {
            current(id);
            commands.sendAndWait(new RetireBlueprint(id, user), metaData(user));
            return awaitView(id, BlueprintView::retired).orElseThrow();
        });
    }

    /**
     * Carries a blueprint of the read store of before into the event store, under its id, by "system", keeping its
     * original author and date. Blocking; for start-up work only. No validation and no name check: it was accepted
     * once, must not vanish, and is checked again at deploy like any other.
     */
    public void registerLegacy(String id, Blueprint blueprint, LegacyOrigin origin) {
        commands.sendAndWait(new RegisterBlueprint(id, blueprint, "system", origin), metaData("system"));
        if (awaitView(id, view -> true).isEmpty()) {
            log.warn("blueprint {} was carried over, but the read model does not show it yet", id);
        }
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

    /** @throws ConflictException when the blueprint is retired: the state forbids the action, the request is fine */
    public static void requireNotRetired(StoredBlueprint stored, String action) {
        if (stored.retired()) {
            throw new ConflictException("blueprint " + stored.id() + " is retired: it cannot be " + action);
        }
    }

    private static void requireNotRetired(BlueprintView view, String action) {
        if (view.retired()) {
            throw new ConflictException("blueprint " + view.id() + " is retired: it cannot be " + action);
        }
    }

    public Mono<StoredBlueprint> find(String id) {
        return Blocking.call(() -> Optional.ofNullable(findView(id)).map(StoredBlueprint::of).orElse(null));
    }

    public Mono<List<StoredBlueprint>> list(boolean includeRetired) {
        return Blocking.call(() -> queries.query(new ListBlueprints(includeRetired),
                        ResponseTypes.multipleInstancesOf(BlueprintView.class)).join()
                .stream().map(StoredBlueprint::of).toList());
    }

    /** Every version, oldest first; 404 for an unknown blueprint. */
    public Mono<List<BlueprintVersionView>> versions(String id) {
        return Blocking.call(() -> queries.query(new ListBlueprintVersions(id),
                        ResponseTypes.multipleInstancesOf(BlueprintVersionView.class)).join())
                .flatMap(versions -> versions.isEmpty() ? Mono.error(new NotFoundException("no blueprint " + id))
                        : Mono.just(versions));
    }

    /** Blocking; for start-up work only. Waits for the projection to have caught up, so the answer can be trusted. */
    public Optional<StoredBlueprint> findByName(String name) {
        awaitCaughtUp();
        return Optional.ofNullable(findViewByName(name)).map(StoredBlueprint::of);
    }

    private interface Work<T> {
        T run();
    }

    /**
     * Runs {@code work} while this node holds the name for blueprint {@code id}, once the read model says no other
     * blueprint has it; the claim ends when the work does (the work waits for the read model to show the change).
     */
    private <T> T withName(String name, String id, Work<T> work) {
        String holder = claims.putIfAbsent(name, id);
        if (holder != null && !holder.equals(id)) {
            throw nameTaken(name);
        }
        try {
            awaitCaughtUp();
            BlueprintView owner = findViewByName(name);
            if (owner != null && !owner.id().equals(id)) {
                throw nameTaken(name);
            }
            return work.run();
        } finally {
            if (holder == null) {
                claims.remove(name, id);
            }
        }
    }

    private static ConflictException nameTaken(String name) {
        return new ConflictException("a blueprint named " + name + " exists already");
    }

    private BlueprintView current(String id) {
        BlueprintView view = findView(id);
        if (view == null) {
            throw new NotFoundException("no blueprint " + id);
        }
        return view;
    }

    private BlueprintView findView(String id) {
        return queries.query(new FindBlueprint(id), ResponseTypes.instanceOf(BlueprintView.class)).join();
    }

    private BlueprintView findViewByName(String name) {
        return queries.query(new FindBlueprintByName(name), ResponseTypes.instanceOf(BlueprintView.class)).join();
    }

    /**
     * The blueprint once the read model shows what {@code done} asks for, or as it is after {@link #READ_MODEL_WAIT}
     * (empty if it shows nothing of it). Updates are subscribed to before the current state is read, so no change
     * falls between the two. Blocking: called on bounded-elastic or at start-up only.
     */
    private Optional<StoredBlueprint> awaitView(String id, Predicate<BlueprintView> done) {
        SubscriptionQueryResult<BlueprintView, BlueprintView> result = queries.subscriptionQuery(
                new FindBlueprint(id), ResponseTypes.instanceOf(BlueprintView.class),
                ResponseTypes.instanceOf(BlueprintView.class));
        try {
            BlueprintView now = findView(id);
            if (now != null && done.test(now)) {
                return Optional.of(StoredBlueprint.of(now));
            }
            BlueprintView shown = result.updates().filter(done).next().timeout(READ_MODEL_WAIT, Mono.empty())
                    .block();
            if (shown == null) {
                log.warn("the read model did not show the change of blueprint {} within {}", id, READ_MODEL_WAIT);
                shown = findView(id);
            }
            return Optional.ofNullable(shown).map(StoredBlueprint::of);
        } finally {
            result.close();
        }
    }

    /**
     * A name check against a projection that is still replaying (after a reset, or at start with a new read store)
     * would miss names: wait until it has read the whole event store.
     */
    private void awaitCaughtUp() {
        long deadline = System.nanoTime() + CATCH_UP_WAIT.toNanos();
        while (!caughtUp()) {
            if (System.nanoTime() > deadline) {
                throw new UnavailableException("the blueprint read model is still being rebuilt; try again shortly");
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("interrupted while the blueprint read model caught up");
            }
        }
    }

    private boolean caughtUp() {
        return processing.eventProcessor(BlueprintProjection.PROCESSING_GROUP, StreamingEventProcessor.class)
                .map(processor -> {
                    Map<Integer, EventTrackerStatus> status = processor.processingStatus();
                    return !status.isEmpty() && status.values().stream().allMatch(EventTrackerStatus::isCaughtUp);
                })
                // no streaming processor (a subscribing one, in some test): it is up to date by construction
                .orElse(true);
    }

    private static MetaData metaData(String user) {
        return MetaData.with(AxonConfiguration.USER, user);
    }
}
