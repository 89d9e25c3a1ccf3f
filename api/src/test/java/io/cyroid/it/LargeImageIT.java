package io.cyroid.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Ranges with a VM image of about 350 MB (scripts/build-large-vm-image.sh): four requested at once all deploy, with
 * no step started twice and no handler interrupted by Axon's timeout (the image copies run on the engine worker,
 * never on an event processor's thread). Prints the time of one range alone and of the four at once.
 */
@ExtendWith(OutputCaptureExtension.class)
class LargeImageIT extends ServerOnRealEngine {

    static final Duration TIMEOUT = Duration.ofMinutes(8);
    static final String BLUEPRINT = """
            name: %s
            networks: [{name: lan, subnet: 10.0.1.0/24, gateway: 10.0.1.1}]
            vms:
              - {name: big, image: "cyroid/vm-large:latest", interfaces: [{network: lan, ip: 10.0.1.10}]}
              - {name: small, image: "cyroid/vm-busybox:latest", interfaces: [{network: lan, ip: 10.0.1.11}]}
            resources: {memory: 1g, cpus: 1}
            """;

    @Test
    void fourRangesWithALargeImageRequestedAtOnceAllDeployWithNoStepRestarted(CapturedOutput output)
            throws Exception {
        String blueprintId = api.registerBlueprint(BLUEPRINT.formatted("it-large-image"));

        long start = System.nanoTime();
        String alone = api.requestRange(blueprintId, "large-alone");
        api.awaitStatus(alone, "DEPLOYED", TIMEOUT);
        long aloneMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        List<String> ranges = new ArrayList<>(List.of(alone));
        api.destroy(alone);
        api.awaitStatus(alone, "DESTROYED", TIMEOUT);

        start = System.nanoTime();
        List<CompletableFuture<String>> requests = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            requests.add(CompletableFuture.supplyAsync(() -> api.requestRange(blueprintId, "large-" + n)));
        }
        List<String> four = new ArrayList<>();
        for (CompletableFuture<String> request : requests) {
            four.add(request.get());
        }
        for (String rangeId : four) {
            api.awaitStatus(rangeId, "DEPLOYED", TIMEOUT);
        }
        long fourMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        ranges.addAll(four);
        System.out.printf("large image (350 MB): one range alone POST -> DEPLOYED %d ms; four at once, all"
                + " DEPLOYED in %d ms (%.1f x one)%n", aloneMs, fourMs, fourMs / (double) aloneMs);

        for (String rangeId : four) {
            assertThat(api.count(rangeId, "ImagesSeeded")).isEqualTo(1);
            assertThat(api.count(rangeId, "VmStarted")).isEqualTo(2);
            assertThat(api.count(rangeId, "RangeDeploymentFailed")).isZero();
        }
        assertThat(output.getAll()).as("no handler was interrupted by Axon's timeout")
                .doesNotContain("exceeded its timeout")
                .doesNotContain("Interrupting thread")
                .doesNotContain("ClosedByInterruptException")
                .doesNotContain("attempt 1 of");

        for (String rangeId : four) {
            api.destroy(rangeId);
        }
        for (String rangeId : ranges) {
            api.awaitStatus(rangeId, "DESTROYED", TIMEOUT);
            RealEngine.assertNothingLeft(rangeId);
        }
    }
}
