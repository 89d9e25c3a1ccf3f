package io.cyroid.console;

import io.cyroid.messages.CloseConsole;
import io.cyroid.messages.ConsoleClosed;
import io.cyroid.messages.ConsoleOpened;
import io.cyroid.messages.OpenConsole;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConsoleSessionAggregateTest {

    static final ConsoleOpened OPENED = new ConsoleOpened("console-1", "range-1", "web", "terminal", "tina");

    FixtureConfiguration<ConsoleSessionAggregate> fixture;

    @BeforeEach
    void fixture() {
        fixture = new AggregateTestFixture<>(ConsoleSessionAggregate.class);
    }

    @Test
    void aTraineeOpensATerminal() {
        fixture.givenNoPriorActivity()
                .when(new OpenConsole("console-1", "range-1", "web", "terminal", "tina"))
                .expectSuccessfulHandlerExecution()
                .expectEvents(OPENED);
    }

    @Test
    void aGraphicalConsoleIsAKindToo() {
        fixture.givenNoPriorActivity()
                .when(new OpenConsole("console-2", "range-1", "desktop", "vnc", "tina"))
                .expectEvents(new ConsoleOpened("console-2", "range-1", "desktop", "vnc", "tina"));
    }

    @Test
    void anUnknownKindIsRefusedAndNothingIsRecorded() {
        fixture.givenNoPriorActivity()
                .when(new OpenConsole("console-1", "range-1", "web", "ssh", "tina"))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void aConsoleWithoutItsUserIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new OpenConsole("console-1", "range-1", "web", "terminal", " "))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void closingTellsHowLongItWasOpenAndWhy() {
        Instant opened = Instant.parse("2026-11-30T09:00:00Z");
        fixture.givenCurrentTime(opened)
                .andGiven(OPENED)
                .andGivenCurrentTime(opened.plus(Duration.ofSeconds(95)))
                .when(new CloseConsole("console-1", "idle"))
                .expectEvents(new ConsoleClosed("console-1", "range-1", "web", "terminal", "tina", "idle", 95));
    }

    @Test
    void closingTwiceRecordsOnce() {
        fixture.given(OPENED, new ConsoleClosed("console-1", "range-1", "web", "terminal", "tina", "client", 3))
                .when(new CloseConsole("console-1", "VM stopped"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aCloseWithoutReasonSaysUnknown() {
        fixture.given(OPENED)
                .when(new CloseConsole("console-1", null))
                .expectEvents(new ConsoleClosed("console-1", "range-1", "web", "terminal", "tina", "unknown", 0));
    }
}
