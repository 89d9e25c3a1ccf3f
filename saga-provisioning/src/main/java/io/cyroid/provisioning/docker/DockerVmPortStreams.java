package io.cyroid.provisioning.docker;

import io.cyroid.provisioning.EngineException;
import io.cyroid.provisioning.VmConsoles;
import io.cyroid.provisioning.VmPortStreams;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VmPortStreams} through the range's DinD on the host engine: an exec in the DinD enters the VM's network
 * namespace ({@code nsenter -t <VM pid> -n}, as {@link RangeRouting} does for routes) and connects to
 * {@code 127.0.0.1:<port>} with bash's {@code /dev/tcp}, copying both ways with {@code cat}. No TTY: the engine
 * multiplexes stdout and stderr, docker-java separates them again, and only stdout is the VM's bytes. Nothing of the
 * range is exposed, and the VM's image needs no tool at all (the tools are the DinD's).
 *
 * <p>Like a terminal's shell, every process of the exec carries a marker in its environment ({@value #MARKER}):
 * closing the stream kills them all in the DinD, which a closed stdin alone would not do when the VM's server keeps
 * the connection open.
 */
public class DockerVmPortStreams implements VmPortStreams {

    static final String MARKER = "CYROID_VNC";
    /** Exit code of the script when the connection is refused (nothing listens on the port). */
    static final int REFUSED = 3;
    /** What stderr may add to a reason; the rest is dropped. */
    private static final int MAX_ERROR_CHARS = 300;
    private static final String SCRIPT = "exec 3<>\"/dev/tcp/127.0.0.1/$1\" || exit " + REFUSED + "\n"
            // a background job's stdin would be /dev/null: the exec's stdin goes to it as fd 4
            + "exec 4<&0; cat <&3 & cat <&4 >&3 &\n"
            // either direction ending ends the other, and the exec: a half-open connection helps no viewer
            + "wait -n; kill $(jobs -p) 2>/dev/null; exit 0\n";

    private static final Logger log = LoggerFactory.getLogger(DockerVmPortStreams.class);

    private final DockerClients clients;

    public DockerVmPortStreams(DockerClients clients) {
        this.clients = clients;
    }

    @Override
    public Stream connect(String rangeId, String vm, int port, VmConsoles.Output output) {
        try {
            DockerClient inner = clients.inner(rangeId);
            String containerId = DockerVmConsoles.runningVm(inner, rangeId, vm);
            Long pid = inner.inspectContainerCmd(containerId).exec().getState().getPidLong();
            if (pid == null || pid <= 0) {
                throw new EngineException("VM " + vm + " is not running: start it first");
            }
            DockerClient host = clients.host();
            String dind = DockerRangeEngine.dindName(rangeId);
            String marker = UUID.randomUUID().toString();
            String execId = host.execCreateCmd(dind)
                    .withCmd("nsenter", "-t", String.valueOf(pid), "-n", "bash", "-c", SCRIPT, "vnc",
                            String.valueOf(port))
                    .withTty(false).withAttachStdin(true).withAttachStdout(true).withAttachStderr(true)
                    .withEnv(List.of(MARKER + "=" + marker)).exec().getId();
            ConsoleInput input = new ConsoleInput();
            PortStream stream = new PortStream(host, dind, execId, marker, vm, port, input, output);
            host.execStartCmd(execId).withTty(false).withStdIn(input).exec(stream.callback);
            return stream;
        } catch (EngineException e) {
            throw e;
        } catch (DockerException e) {
            throw new EngineException("VNC console on VM " + vm + ": " + e.getMessage(), false, e);
        } catch (RuntimeException e) {
            log.info("VNC console on range {} VM {}: the engine did not answer", rangeId, vm, e);
            throw new EngineException("VNC console on VM " + vm + ": the range's engine did not answer", true, e);
        }
    }

    private static final class PortStream implements Stream {

        private final DockerClient host;
        private final String dind;
        private final String execId;
        private final String marker;
        private final ConsoleInput input;
        private final VmConsoles.Output output;
        private final StringBuilder errors = new StringBuilder();
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicBoolean ended = new AtomicBoolean();
        final ResultCallback.Adapter<Frame> callback;

        PortStream(DockerClient host, String dind, String execId, String marker, String vm, int port,
                   ConsoleInput input, VmConsoles.Output output) {
            this.host = host;
            this.dind = dind;
            this.execId = execId;
            this.marker = marker;
            this.input = input;
            this.output = output;
            this.callback = new ResultCallback.Adapter<>() {
                @Override
                public void onNext(Frame frame) {
                    if (frame.getStreamType() == StreamType.STDOUT || frame.getStreamType() == StreamType.RAW) {
                        // a copy: docker-java hands over its read buffer itself when a read fills it, and reuses
                        // it for the next read while these bytes may still wait for the client
                        output.bytes(frame.getPayload().clone());
                    } else if (errors.length() < MAX_ERROR_CHARS) {
                        errors.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                }

                @Override
                public void onError(Throwable error) {
                    end(closed.get() ? "closed" : "the VNC stream broke: " + error.getMessage());
                }

                @Override
                public void onComplete() {
                    end(closed.get() ? "closed" : why(vm, port));
                }
            };
        }

        /** Why the stream ended by itself: the server closed, or nothing listened (bash said "refused"). */
        private String why(String vm, int port) {
            String said = errors.toString();
            if (said.contains("refused")) {
                return "nothing listens on port " + port + " of VM " + vm;
            }
            return "the VNC server of VM " + vm + " closed the connection";
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
                end("the VNC server does not read its input");
            }
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            input.end();
            killExec();
            try {
                callback.close();
            } catch (IOException e) {
                log.debug("closing the VNC stream of exec {} failed", execId, e);
            }
            end("closed");
        }

        /** Every process of the DinD whose environment carries this stream's marker: nsenter, bash, both cats. */
        private void killExec() {
            MarkedProcesses.kill(host, dind, MARKER, marker);
        }
    }
}
