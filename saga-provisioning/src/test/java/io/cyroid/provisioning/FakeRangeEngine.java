package io.cyroid.provisioning;

import io.cyroid.blueprint.NetworkSpec;
import io.cyroid.blueprint.ResourceSpec;
import io.cyroid.blueprint.VmSpec;
import io.cyroid.messages.VmAction;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Records the calls and answers predictably; a step can be told to fail. */
class FakeRangeEngine implements RangeEngine {

    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile String failOn;
    /** Calls starting with flakyOn throw a transient error transientFailures times, then succeed. */
    volatile String flakyOn;
    final AtomicInteger transientFailures = new AtomicInteger();
    /** Calls starting with holdOn wait until hold opens (10 s at most): a busy engine slot. */
    volatile String holdOn;
    final CountDownLatch hold = new CountDownLatch(1);

    @Override
    public Dind createDind(String rangeId, ResourceSpec resources) {
        call("createDind " + rangeId);
        return new Dind("dind-" + rangeId, "cyroid-range-" + rangeId, "172.30.1.2", "local");
    }

    @Override
    public String createNetwork(String rangeId, NetworkSpec network) {
        call("createNetwork " + network.name());
        return "net-" + network.name();
    }

    @Override
    public void seedImages(String rangeId, List<String> images) {
        call("seedImages " + String.join(",", images));
    }

    @Override
    public StartedVm startVm(String rangeId, VmSpec vm) {
        call("startVm " + rangeId + " " + vm.name());
        return new StartedVm("vm-" + vm.name(), vm.interfaces());
    }

    @Override
    public void confirmRunning(String rangeId, List<VmSpec> vms) {
        call("confirmRunning " + String.join(",", vms.stream().map(VmSpec::name).toList()));
    }

    @Override
    public Optional<String> removeRange(String rangeId) {
        call("removeRange " + rangeId);
        return Optional.of("dind-" + rangeId);
    }

    @Override
    public StartedVm vmAction(String rangeId, VmSpec vm, VmAction action) {
        call("vmAction " + action + " " + vm.name());
        return new StartedVm("vm-" + vm.name(), vm.interfaces());
    }

    private void call(String call) {
        calls.add(call);
        if (holdOn != null && call.startsWith(holdOn)) {
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (flakyOn != null && call.startsWith(flakyOn) && transientFailures.getAndDecrement() > 0) {
            throw new EngineException("engine did not answer in " + call, true, null);
        }
        if (failOn != null && call.startsWith(failOn)) {
            throw new EngineException("boom in " + call);
        }
    }
}
