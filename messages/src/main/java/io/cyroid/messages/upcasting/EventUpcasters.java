package io.cyroid.messages.upcasting;

import org.axonframework.serialization.upcasting.event.EventUpcasterChain;

/**
 * Every upcaster of the stored events, in the order they must run: the oldest form first. The server registers this
 * chain with the event store, so aggregates, event processors and direct reads all see the current form.
 */
public final class EventUpcasters {

    private EventUpcasters() {
    }

    public static EventUpcasterChain chain() {
        return new EventUpcasterChain(new InitialRevisionUpcaster(), new DinDCreatedEngineUpcaster());
    }
}
