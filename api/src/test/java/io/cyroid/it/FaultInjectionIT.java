package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cyroid.messages.DeploymentStep;
import io.cyroid.provisioning.FaultInjection;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every step made to fail on the real engine, after its real work: the range ends FAILED naming the step, its
 * compensation is recorded, and nothing labelled with it is left. And a destroy meeting a failure's compensation,
 * in both orders, ends DESTROYED with nothing left.
 */
class FaultInjectionIT extends ServerOnRealEngine {

    static final Duration TIMEOUT = Duration.ofSeconds(180);

    @DynamicPropertySource
    static void faults(DynamicPropertyRegistry registry) {
        registry.add("cyroid.provisioning.fault-injection.enabled", () -> "true");
    }

    @Autowired
    FaultInjection faults;

    @AfterEach
    void noMoreFaults() {
        faults.clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {DeploymentStep.CREATE_DIND, DeploymentStep.CREATE_NETWORK, DeploymentStep.SEED_IMAGES,
            DeploymentStep.START_VM})
    void aFailingStepFailsTheRangeNamingItAndLeavesNothing(String step) throws Exception {
        faults.failStep(step);
        String blueprintId = api.registerBlueprint(sampleBlueprint("it-fault-" + step.toLowerCase()));
        String rangeId = api.requestRange(blueprintId, "fault-" + step.toLowerCase());

        JsonNode failed = api.awaitStatus(rangeId, "FAILED", TIMEOUT);

        assertThat(failed.get("failureReason").asText()).startsWith(step + ":").contains("injected fault");
        api.awaitEvent(rangeId, "DinDRemoved", TIMEOUT);
        RealEngine.assertNothingLeft(rangeId);
        assertThat(api.count(rangeId, "RangeDeploymentFailed")).isEqualTo(1);
        assertThat(api.count(rangeId, "RangeDeployed")).isZero();
        faults.clear();
        api.destroy(rangeId);
        api.awaitStatus(rangeId, "DESTROYED", TIMEOUT);
        RealEngine.assertNothingLeft(rangeId);
    }

    /** The destroy comes while the compensation is still removing (held back by a slow engine). */
    @Test
    void aDestroyDuringTheCompensationEndsDestroyedWithNothingLeft() throws Exception {
        faults.failStep(DeploymentStep.START_VM);
        faults.delayStep(DeploymentStep.REMOVE, Duration.ofSeconds(3));
        String blueprintId = api.registerBlueprint(sampleBlueprint("it-race-during"));
        String rangeId = api.requestRange(blueprintId, "race-during");
        api.awaitStatus(rangeId, "FAILED", TIMEOUT);
        assertThat(api.count(rangeId, "DinDRemoved")).as("compensation still under way").isZero();

        api.destroy(rangeId);

        api.awaitStatus(rangeId, "DESTROYED", TIMEOUT);
        RealEngine.assertNothingLeft(rangeId);
        assertThat(RangeDeploymentIT.types(api.events(rangeId))).endsWith("RangeDeploymentFailed",
                "RangeDestroyRequested", "DinDRemoved", "RangeDestroyed");
        assertNoLaterEvents(rangeId);
    }

    /** The destroy comes after the compensation was recorded. */
    @Test
    void aDestroyAfterTheCompensationEndsDestroyedWithNothingLeft() throws Exception {
        faults.failStep(DeploymentStep.START_VM);
        String blueprintId = api.registerBlueprint(sampleBlueprint("it-race-after"));
        String rangeId = api.requestRange(blueprintId, "race-after");
        api.awaitStatus(rangeId, "FAILED", TIMEOUT);
        api.awaitEvent(rangeId, "DinDRemoved", TIMEOUT);

        api.destroy(rangeId);

        api.awaitStatus(rangeId, "DESTROYED", TIMEOUT);
        RealEngine.assertNothingLeft(rangeId);
        assertThat(RangeDeploymentIT.types(api.events(rangeId))).endsWith("RangeDeploymentFailed", "DinDRemoved",
                "RangeDestroyRequested", "RangeDestroyed");
        assertNoLaterEvents(rangeId);
    }

    /**
     * The reported wedge: a VM whose command is `false`, and a DELETE as soon as the failure shows. The range ends
     * DESTROYED, and a range requested afterwards still deploys (the saga's segment is not stuck).
     */
    @Test
    void aDeleteSentAsSoonAsTheFailureShowsWedgesNothing() throws Exception {
        String failing = api.registerBlueprint("""
                name: it-false-vm
                networks: [{name: lan, subnet: 10.0.1.0/24, gateway: 10.0.1.1}]
                vms:
                  - {name: web, image: "cyroid/vm-busybox:latest", interfaces: [{network: lan, ip: 10.0.1.10}],
                     command: ["false"]}
                """);
        String rangeId = api.requestRange(failing, "false-vm");
        api.awaitStatus(rangeId, "FAILED", TIMEOUT);
        api.destroy(rangeId);
        api.awaitStatus(rangeId, "DESTROYED", TIMEOUT);
        RealEngine.assertNothingLeft(rangeId);

        String healthy = api.requestRange(api.registerBlueprint(sampleBlueprint("it-after-wedge")), "after-wedge");
        api.awaitStatus(healthy, "DEPLOYED", TIMEOUT);
        assertNoLaterEvents(rangeId);
        api.destroy(healthy);
        api.awaitStatus(healthy, "DESTROYED", TIMEOUT);
        RealEngine.assertNothingLeft(healthy);
    }

    /** A destroyed range stays destroyed: no late removal record, retried or refused, follows. */
    private void assertNoLaterEvents(String rangeId) {
        assertThat(RangeDeploymentIT.types(api.events(rangeId))).last().isEqualTo("RangeDestroyed");
        assertThat(api.count(rangeId, "RangeDestroyed")).isEqualTo(1);
    }
}
