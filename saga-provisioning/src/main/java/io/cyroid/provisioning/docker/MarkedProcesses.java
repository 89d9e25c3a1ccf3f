package io.cyroid.provisioning.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends every process of a container whose environment carries {@code name=value}: an exec's process and all it
 * started, which Docker leaves running when the exec's client goes away. Consoles mark their execs so.
 */
final class MarkedProcesses {

    private static final Logger log = LoggerFactory.getLogger(MarkedProcesses.class);

    private MarkedProcesses() {
    }

    /** Blocking, at most 10 s; a container that is gone took its processes with it (nothing to do, no error). */
    static void kill(DockerClient engine, String containerId, String name, String value) {
        String script = "for p in /proc/[0-9]*; do tr '\\0' '\\n' < $p/environ 2>/dev/null"
                + " | grep -qx '" + name + "=" + value + "' && kill -9 ${p#/proc/}; done; true";
        try {
            String killer = engine.execCreateCmd(containerId).withCmd("sh", "-c", script).exec().getId();
            engine.execStartCmd(killer).exec(new ResultCallback.Adapter<>()).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("ending the processes marked {}={} in container {} failed", name, value, containerId, e);
        }
    }
}
