package io.cyroid.catalog;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.cyroid.blueprint.Blueprint;
import io.cyroid.messages.BlueprintRegistered;
import io.cyroid.messages.BlueprintRetired;
import io.cyroid.messages.BlueprintRevised;
import io.cyroid.messages.IllegalTransitionException;
import io.cyroid.messages.RegisterBlueprint;
import io.cyroid.messages.RetireBlueprint;
import io.cyroid.messages.ReviseBlueprint;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A blueprint's life: registered as version 1, revised (each revision a new version, carrying the whole blueprint),
 * retired. Command handlers validate and {@code apply()}; state changes only in event sourcing handlers.
 *
 * <p>What the aggregate checks is its own: who asks, that there is a named blueprint, and that a retired one stays
 * retired. The blueprint rules (addresses, the engine's limits, this server's configured maxima) are checked by the
 * API before it sends a command, with the server's configuration, so that a 400 can name every offending field;
 * they also change over time, and a blueprint stored under older rules must still load. Name uniqueness is a rule
 * across blueprints, which one aggregate cannot see: the API checks it against the read model (docs/architecture.md).
 */
@Aggregate
public class BlueprintAggregate {

    @AggregateIdentifier
    private String blueprintId;
    private int version;
    private Blueprint blueprint;
    private boolean retired;

    protected BlueprintAggregate() {
        // for Axon
    }

    @CommandHandler
    public BlueprintAggregate(RegisterBlueprint command) {
        requireText(command.blueprintId(), "blueprintId");
        requireText(command.registeredBy(), "registeredBy");
        requireNamed(command.blueprint());
        apply(new BlueprintRegistered(command.blueprintId(), 1, command.blueprint(), command.registeredBy(),
                command.legacyOrigin()));
    }

    /**
     * Answers the version the blueprint has afterwards. The same blueprint again makes no new version: a PUT
     * repeated after a lost answer must not count twice.
     */
    @CommandHandler
    public int handle(ReviseBlueprint command) {
        requireText(command.revisedBy(), "revisedBy");
        requireNamed(command.blueprint());
        if (retired) {
            throw new IllegalTransitionException("blueprint " + blueprintId + " is retired: it cannot be revised");
        }
        if (command.blueprint().equals(blueprint)) {
            return version;
        }
        apply(new BlueprintRevised(blueprintId, version + 1, command.blueprint(), command.revisedBy()));
        return version;
    }

    /** Retiring a retired blueprint changes nothing: a DELETE repeated after a lost answer is no error. */
    @CommandHandler
    public int handle(RetireBlueprint command) {
        requireText(command.retiredBy(), "retiredBy");
        if (!retired) {
            apply(new BlueprintRetired(blueprintId, version, command.retiredBy()));
        }
        return version;
    }

    @EventSourcingHandler
    void on(BlueprintRegistered event) {
        blueprintId = event.blueprintId();
        version = event.version();
        blueprint = event.blueprint();
    }

    @EventSourcingHandler
    void on(BlueprintRevised event) {
        version = event.version();
        blueprint = event.blueprint();
    }

    @EventSourcingHandler
    void on(BlueprintRetired event) {
        retired = true;
    }

    private static void requireNamed(Blueprint blueprint) {
        if (blueprint == null || blueprint.name() == null || blueprint.name().isBlank()) {
            throw new IllegalArgumentException("a blueprint with a name is required");
        }
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
    }
}
