package io.cyroid.catalog;

import static io.cyroid.blueprint.SampleBlueprints.CORP_LAN;

import io.cyroid.blueprint.Blueprint;
import io.cyroid.messages.BlueprintRegistered;
import io.cyroid.messages.BlueprintRetired;
import io.cyroid.messages.BlueprintRevised;
import io.cyroid.messages.IllegalTransitionException;
import io.cyroid.messages.LegacyOrigin;
import io.cyroid.messages.RegisterBlueprint;
import io.cyroid.messages.RetireBlueprint;
import io.cyroid.messages.ReviseBlueprint;
import java.time.Instant;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BlueprintAggregateTest {

    static final String ID = "bp-1";
    static final Blueprint V2 = new Blueprint("corp-lan-2", CORP_LAN.networks(), CORP_LAN.vms().subList(0, 1),
            CORP_LAN.resources());
    static final Blueprint V3 = new Blueprint("corp-lan-3", CORP_LAN.networks(), CORP_LAN.vms(), null);
    static final BlueprintRegistered REGISTERED = new BlueprintRegistered(ID, 1, CORP_LAN, "alice", null);
    static final BlueprintRevised REVISED = new BlueprintRevised(ID, 2, V2, "bob");
    static final BlueprintRetired RETIRED = new BlueprintRetired(ID, 2, "carol");

    FixtureConfiguration<BlueprintAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(BlueprintAggregate.class);
    }

    @Test
    void aBlueprintIsRegisteredAsVersionOneWithItsAuthor() {
        fixture.givenNoPriorActivity()
                .when(new RegisterBlueprint(ID, CORP_LAN, "alice"))
                .expectSuccessfulHandlerExecution()
                .expectEvents(REGISTERED);
    }

    @Test
    void aBlueprintCarriedOverFromTheOldStoreKeepsItsOriginalAuthor() {
        LegacyOrigin origin = new LegacyOrigin("alice", Instant.parse("2025-01-02T03:04:05Z"));
        fixture.givenNoPriorActivity()
                .when(new RegisterBlueprint(ID, CORP_LAN, "system", origin))
                .expectEvents(new BlueprintRegistered(ID, 1, CORP_LAN, "system", origin));
    }

    @Test
    void aBlueprintWithoutAuthorOrNameIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new RegisterBlueprint(ID, CORP_LAN, " "))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new RegisterBlueprint(ID, new Blueprint("", List.of(), List.of(), null), "alice"))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void aRevisionBumpsTheVersionAndCarriesTheWholeBlueprint() {
        fixture.given(REGISTERED)
                .when(new ReviseBlueprint(ID, V2, "bob"))
                .expectResultMessagePayload(2)
                .expectEvents(REVISED);
        fixture.given(REGISTERED, REVISED)
                .when(new ReviseBlueprint(ID, V3, "alice"))
                .expectResultMessagePayload(3)
                .expectEvents(new BlueprintRevised(ID, 3, V3, "alice"));
    }

    @Test
    void theSameBlueprintAgainMakesNoNewVersion() {
        fixture.given(REGISTERED, REVISED)
                .when(new ReviseBlueprint(ID, V2, "bob"))
                .expectResultMessagePayload(2)
                .expectNoEvents();
    }

    @Test
    void aRetirementRecordsWhoAndAtWhichVersion() {
        fixture.given(REGISTERED, REVISED)
                .when(new RetireBlueprint(ID, "carol"))
                .expectResultMessagePayload(2)
                .expectEvents(RETIRED);
    }

    @Test
    void aRetiredBlueprintCannotBeRevised() {
        fixture.given(REGISTERED, REVISED, RETIRED)
                .when(new ReviseBlueprint(ID, V3, "bob"))
                .expectException(IllegalTransitionException.class)
                .expectNoEvents();
    }

    @Test
    void retiringTwiceChangesNothing() {
        fixture.given(REGISTERED, REVISED, RETIRED)
                .when(new RetireBlueprint(ID, "dave"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aRetirementWithoutAuthorIsRefused() {
        fixture.given(REGISTERED)
                .when(new RetireBlueprint(ID, ""))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }
}
