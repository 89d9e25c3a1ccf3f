package io.cyroid.provisioning.docker;

import io.cyroid.provisioning.*;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Inside a DinD: its VMs never open a connection to the DinD itself. A VM reaches its DinD's addresses (its gateway
 * on each blueprint network) however internal the network, because that traffic is delivered locally, not
 * forwarded; so whatever listens on a wildcard address in the DinD would be a VM's to talk to, the engine included
 * if it ever listened on TCP. One rule in the DinD's INPUT chain drops everything that arrives from an inner bridge
 * ({@code br-+}) for the DinD itself, except answers to connections the DinD opened. Routed and forwarded traffic (FORWARD) and ARP are untouched. Applied after the
 * inner engine answers, at creation and at every recovery (a restarted container has a fresh network namespace);
 * idempotent.
 */
final class DindWall {

    /** Answers to what the DinD itself opened (an operator's ping from the DinD) still come back. */
    static final String RULE = "-i br-+ -m conntrack ! --ctstate ESTABLISHED,RELATED"
            + " -m comment --comment cyroid:no-vm-reaches-its-dind -j DROP";
    static final String SCRIPT = "iptables -w 5 -C INPUT " + RULE + " 2>/dev/null || iptables -w 5 -I INPUT 1 "
            + RULE;

    private DindWall() {
    }

    static void apply(DockerClient host, String containerId) {
        String exec = host.execCreateCmd(containerId).withCmd("sh", "-c", SCRIPT).withAttachStdout(true)
                .withAttachStderr(true).exec().getId();
        StringBuilder out = new StringBuilder();
        try {
            boolean done = host.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }).awaitCompletion(30, TimeUnit.SECONDS);
            Long code = host.inspectExecCmd(exec).exec().getExitCodeLong();
            if (!done || code == null || code != 0) {
                throw new EngineException("the DinD's wall against its VMs could not be set (exit " + code + "): "
                        + out.toString().strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while setting the DinD's wall against its VMs");
        }
    }
}
