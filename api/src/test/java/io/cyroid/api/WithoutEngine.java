package io.cyroid.api;

import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The application without any Docker engine: the docker-java adapter's beans are not created
 * ({@code cyroid.provisioning.engine=none}), and {@link FakeEngines} stands in for the ports. The saga still runs, on
 * the fake, so a range deploys and is destroyed in moments. These tests pass with no engine on the machine at all.
 */
@Import(FakeEngines.class)
@TestPropertySource(properties = "cyroid.provisioning.engine=none")
public abstract class WithoutEngine extends ApiTestSupport {
}
