package io.cyroid.provisioning.docker;

import io.cyroid.provisioning.*;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VmConsoles} through the range's inner engine (its DinD's unix socket): {@code sh} exec'd with a TTY, stdin
 * and output attached over one hijacked connection that docker-java serves on a thread of its own.
 *
 * <p>Each shell carries a marker in its environment ({@value #MARKER}); closing the console kills every process of
 * the VM whose environment holds it: the shell and whatever it started, which a closed stream alone would leave
 * running (Docker does not end an exec when its client goes away).
 */
public class DockerVmConsoles implements VmConsoles {

    static final String MARKER = "CYROID_CONSOLE";

    private static final Logger log = LoggerFactory.getLogger(DockerVmConsoles.class);

    private final DockerClients clients;

    public DockerVmConsoles(DockerClients clients) {
        this.clients = clients;
    }

    @Override
    public Console open(String rangeId, String vm, int cols, int rows, Output output) {
        try {
            DockerClient inner = clients.inner(rangeId);
            String containerId = runningVm(inner, rangeId, vm);
            String marker = UUID.randomUUID().toString();
            String execId = inner.execCreateCmd(containerId).withCmd("sh").withTty(true).withAttachStdin(true)
                    .withAttachStdout(true).withAttachStderr(true)
                    .withEnv(List.of(MARKER + "=" + marker, "TERM=xterm")).exec().getId();
            ConsoleInput input = new ConsoleInput();
            ShellConsole console = new ShellConsole(inner, containerId, execId, marker, input, output);
            inner.execStartCmd(execId).withTty(true).withStdIn(input).exec(console.stream);
            console.resize(cols, rows);
            return console;
        } catch (EngineException e) {
            throw e;
        } catch (DockerException e) {
            throw new EngineException("console on VM " + vm + ": " + e.getMessage(), false, e);
        } catch (RuntimeException e) {
            // the socket's path is this host's business: the client learns that the engine did not answer
            log.info("console on range {} VM {}: the inner engine did not answer", rangeId, vm, e);
            throw new EngineException("console on VM " + vm + ": the range's engine did not answer", true, e);
        }
    }

    static String runningVm(DockerClient inner, String rangeId, String vm) {
        Container container = inner.listContainersCmd().withShowAll(true).withNameFilter(List.of(vm)).exec().stream()
                .filter(c -> c.getNames() != null && List.of(c.getNames()).contains("/" + vm))
                .filter(c -> c.getLabels() != null && rangeId.equals(c.getLabels().get(CyroidLabels.RANGE_ID)))
                .findFirst().orElseThrow(() -> new EngineException("VM " + vm + " does not exist in the range"));
        InspectContainerResponse state = inner.inspectContainerCmd(container.getId()).exec();
        if (!Boolean.TRUE.equals(state.getState().getRunning())) {
            throw new EngineException("VM " + vm + " is not running: start it first");
        }
        return container.getId();
    }

    private static final class ShellConsole implements Console {

        private final DockerClient inner;
        private final String containerId;
        private final String execId;
        private final String marker;
        private final ConsoleInput input;
        private final Output output;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicBoolean ended = new AtomicBoolean();
        final ResultCallback.Adapter<Frame> stream;

        ShellConsole(DockerClient inner, String containerId, String execId, String marker, ConsoleInput input,
                     Output output) {
            this.inner = inner;
            this.containerId = containerId;
            this.execId = execId;
            this.marker = marker;
            this.input = input;
            this.output = output;
            this.stream = new ResultCallback.Adapter<>() {
                @Override
                public void onNext(Frame frame) {
                    // a copy: docker-java hands over its read buffer itself when a read fills it (1024 bytes), and
                    // reuses it for the next read while these bytes may still wait for the client
                    output.bytes(frame.getPayload().clone());
                }

                @Override
                public void onError(Throwable error) {
                    end(closed.get() ? "closed" : "the console's stream broke: " + error.getMessage());
                }

                @Override
                public void onComplete() {
                    end("the shell ended");
                }
            };
        }

        private void end(String reason) {
            if (ended.compareAndSet(false, true)) {
                input.end();
                output.ended(reason);
            }
        }

        @Override
        public void write(byte[] data) {
            if (!input.offer(data) && !closed.get()) {
                end("the shell does not read its input");
            }
        }

        @Override
        public void resize(int cols, int rows) {
            inner.resizeExecCmd(execId).withSize(rows, cols).exec();
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            input.end();
            killShell();
            try {
                stream.close();
            } catch (IOException e) {
                log.debug("closing the console stream of exec {} failed", execId, e);
            }
            end("closed");
        }

        /** Every process of the VM whose environment carries this console's marker, the shell first among them. */
        private void killShell() {
            MarkedProcesses.kill(inner, containerId, MARKER, marker);
        }
    }
}
