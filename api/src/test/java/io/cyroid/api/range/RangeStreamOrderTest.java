package io.cyroid.api.range;

import io.cyroid.messages.RangeStatus;
import io.cyroid.messages.RangeView;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class RangeStreamOrderTest {

    static RangeView at(long version) {
        return new RangeView("r", "n", "b", RangeStatus.PROVISIONING, null, List.of(), List.of(), "admin", null, null,
                null, null, version, null, 1, null, List.of(), List.of());
    }

    @Test
    void aStreamSendsEachStateOnceAndNeverAnOlderOne() {
        // initial read already at 2; updates 1 and 2 were queued meanwhile; then 3 arrives
        StepVerifier.create(RangeController.newerOnly(Flux.just(at(2), at(1), at(2), at(3))).map(RangeView::version))
                .expectNext(2L, 3L)
                .verifyComplete();
    }
}
