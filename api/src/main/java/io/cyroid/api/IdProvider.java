package io.cyroid.api;

import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/** New ids for ranges and blueprints; a bean so tests can make them predictable. */
@Component
public class IdProvider implements Supplier<String> {
    @Override
    public String get() {
        return UUID.randomUUID().toString();
    }
}
