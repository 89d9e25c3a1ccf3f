package io.cyroid.api;

import io.cyroid.blueprint.NetworkSpec;
import io.cyroid.blueprint.ResourceSpec;
import io.cyroid.blueprint.VmSpec;
import io.cyroid.provisioning.DindSecurityMode;
import io.cyroid.provisioning.HostEngine;
import io.cyroid.provisioning.RangeEngine;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Fakes of the engine ports (and the console port), for the api tests that need no Docker engine. With
 * {@code cyroid.provisioning.engine=none} the docker-java adapter's beans are not created, so nothing opens a
 * connection to an engine; these take their place. A test configuration: it is imported where needed, never found
 * by the application's component scan.
 */
@TestConfiguration(proxyBeanMethods = false)
public class FakeEngines {

    /** What the fake host reports: small enough that the tests can ask for more. */
    public static final int HOST_CPUS = 2;
    public static final long HOST_MEMORY = 4L * 1024 * 1024 * 1024;

    @Bean
    FakeRangeEngine fakeRangeEngine() {
        return new FakeRangeEngine();
    }

    @Bean
    FakeVmConsoles fakeVmConsoles() {
        return new FakeVmConsoles();
    }

    @Bean
    FakeVmPortStreams fakeVmPortStreams() {
        return new FakeVmPortStreams();
    }

    @Bean
    HostEngine fakeHostEngine() {
        return new HostEngine() {
            @Override
            public int hostCpus() {
                return HOST_CPUS;
            }

            @Override
            public long hostMemory() {
                return HOST_MEMORY;
            }

            @Override
            public DindSecurityMode securityMode() {
                return DindSecurityMode.CAPABILITIES;
            }

            @Override
            public void ping() {
                // always answers
            }
        };
    }

    /** Succeeds at once at every step, and remembers the calls of each range (the worker calls it from several threads). */
    public static class FakeRangeEngine implements RangeEngine {

        private final Map<String, List<String>> calls = new ConcurrentHashMap<>();

        /** The calls for one range so far, in order. */
        public List<String> calls(String rangeId) {
            return List.copyOf(calls.getOrDefault(rangeId, List.of()));
        }

        private void call(String rangeId, String call) {
            calls.computeIfAbsent(rangeId, id -> new CopyOnWriteArrayList<>()).add(call);
        }

        @Override
        public Dind createDind(String rangeId, ResourceSpec resources) {
            call(rangeId, "createDind");
            return new Dind("fake-" + rangeId, "cyroid-range-" + rangeId, "172.30.1.2", "local");
        }

        @Override
        public String createNetwork(String rangeId, NetworkSpec network) {
            call(rangeId, "createNetwork " + network.name());
            return "fake-net-" + network.name();
        }

        @Override
        public void seedImages(String rangeId, List<String> images) {
            call(rangeId, "seedImages " + String.join(",", images));
        }

        @Override
        public StartedVm startVm(String rangeId, VmSpec vm) {
            call(rangeId, "startVm " + vm.name());
            return new StartedVm("fake-vm-" + vm.name(), vm.interfaces());
        }

        @Override
        public void confirmRunning(String rangeId, List<VmSpec> vms) {
            call(rangeId, "confirmRunning " + String.join(",", vms.stream().map(VmSpec::name).toList()));
        }

        @Override
        public StartedVm vmAction(String rangeId, VmSpec vm, io.cyroid.messages.VmAction action) {
            call(rangeId, "vmAction " + action + " " + vm.name());
            return new StartedVm("fake-vm-" + vm.name(), vm.interfaces());
        }

        @Override
        public Optional<String> removeRange(String rangeId) {
            call(rangeId, "removeRange");
            return Optional.of("fake-" + rangeId);
        }
    }
}
