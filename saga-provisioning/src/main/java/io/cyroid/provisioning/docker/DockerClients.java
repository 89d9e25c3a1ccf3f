package io.cyroid.provisioning.docker;

import io.cyroid.provisioning.*;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shared docker-java client per engine: the host engine, and each range's inner engine reached through the
 * unix socket its DinD exposes in the range's socket folder. Inner clients are cached until the range is removed.
 */
public class DockerClients implements AutoCloseable {

    /** sun_path of a unix socket address holds 108 bytes including the terminating NUL. */
    static final int MAX_SOCKET_PATH = 107;
    static final String INNER_SOCKET = "docker.sock";

    private static final Logger log = LoggerFactory.getLogger(DockerClients.class);

    private final DockerClient host;
    private final Path socketDir;
    private final Map<String, DockerClient> inner = new ConcurrentHashMap<>();

    public DockerClients(String hostEndpoint, Path socketDir) {
        DefaultDockerClientConfig.Builder config = DefaultDockerClientConfig.createDefaultConfigBuilder();
        if (hostEndpoint != null && !hostEndpoint.isBlank()) {
            config.withDockerHost(hostEndpoint);
        }
        this.host = client(config.build());
        this.socketDir = socketDir.toAbsolutePath().normalize();
    }

    public DockerClient host() {
        return host;
    }

    /** The folder bind-mounted at /run/cyroid in the range's DinD. */
    public Path rangeSocketFolder(String rangeId) {
        return socketDir.resolve(rangeId);
    }

    public Path innerSocket(String rangeId) {
        Path socket = rangeSocketFolder(rangeId).resolve(INNER_SOCKET);
        if (socket.toString().length() > MAX_SOCKET_PATH) {
            throw new EngineException("socket path " + socket + " is longer than a unix socket allows ("
                    + MAX_SOCKET_PATH + " bytes): set CYROID_SOCKET_DIR to a shorter folder");
        }
        return socket;
    }

    public DockerClient inner(String rangeId) {
        return inner.computeIfAbsent(rangeId, id -> client(DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix://" + innerSocket(id))
                .withDockerTlsVerify(false)
                .build()));
    }

    public void forget(String rangeId) {
        DockerClient client = inner.remove(rangeId);
        if (client != null) {
            closeQuietly(client);
        }
    }

    @Override
    public void close() {
        inner.values().forEach(DockerClients::closeQuietly);
        inner.clear();
        closeQuietly(host);
    }

    private static DockerClient client(DockerClientConfig config) {
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(32)
                .connectionTimeout(Duration.ofSeconds(10))
                // image save/load of a large image can stream for minutes
                .responseTimeout(Duration.ofMinutes(10))
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    private static void closeQuietly(DockerClient client) {
        try {
            client.close();
        } catch (IOException e) {
            log.debug("closing a docker client failed", e);
        }
    }
}
