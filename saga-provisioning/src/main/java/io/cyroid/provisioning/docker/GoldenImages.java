package io.cyroid.provisioning.docker;

import io.cyroid.provisioning.*;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared images: one volume holding an inner engine's state with the common images loaded, built once by a
 * short-lived builder DinD and never written again. Every new DinD mounts it read-only at {@link #MOUNT}; its
 * entrypoint copies the small metadata into the range's own volume and links each image layer's files to the
 * shared volume (docker/dind-entrypoint.sh). Seeding the tenth range then costs what seeding the first does: a
 * fraction of a second and under a megabyte (docs/performance.md, docs/research/image-sharing.md).
 *
 * <p>The volume's name is a hash of the DinD image and of the images' ids, so a new image or a new DinD image
 * (another on-disk layout) gives a new volume; old ones are removed once no DinD mounts them (the engine refuses
 * while one does) and they are older than {@link #KEEP_UNUSED}, so a second server with another image set on the same
 * engine keeps its own.
 */
public class GoldenImages {

    /** Where a DinD sees the shared images. The entrypoint looks there. */
    public static final String MOUNT = "/var/lib/cyroid-golden";
    /** Written last by the builder: a DinD seeds only from a complete copy. */
    static final String COMPLETE = "cyroid-golden-complete";
    static final String ROLE = "golden";
    static final String BUILDER_ROLE = "golden-builder";
    static final Duration KEEP_UNUSED = Duration.ofHours(1);

    private static final Logger log = LoggerFactory.getLogger(GoldenImages.class);

    private final DockerClients clients;
    private final ProvisioningProperties properties;
    private final HostEngineSetup hostSetup;
    private DockerRangeEngine engine;
    private volatile String current;

    public GoldenImages(DockerClients clients, ProvisioningProperties properties, HostEngineSetup hostSetup) {
        this.clients = clients;
        this.properties = properties;
        this.hostSetup = hostSetup;
    }

    void setEngine(DockerRangeEngine engine) {
        this.engine = engine;
    }

    /** The volume new DinDs mount, if it is complete and still on the engine. */
    public Optional<String> current() {
        String name = current;
        if (name == null) {
            return Optional.empty();
        }
        try {
            clients.host().inspectVolumeCmd(name).exec();
            return Optional.of(name);
        } catch (NotFoundException gone) {
            current = null;
            return Optional.empty();
        }
    }

    /** Builds the shared copy of these images if it does not exist yet, and makes it current. */
    public synchronized PoolEngine.SharedImages share(List<String> wanted) {
        DockerClient host = clients.host();
        List<String> images = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        StringBuilder identity = new StringBuilder(host.inspectImageCmd(properties.getDindImage()).exec().getId());
        for (String image : wanted) {
            if (DockerRangeEngine.hasImage(host, image)) {
                images.add(image);
                identity.append('\n').append(image).append('@').append(host.inspectImageCmd(image).exec().getId());
            } else {
                missing.add(image);
                log.warn("shared images: {} is not on the host engine, left out", image);
            }
        }
        if (images.isEmpty()) {
            current = null;
            return PoolEngine.SharedImages.none(missing);
        }
        String name = "cyroid-golden-" + sha256(identity.toString()).substring(0, 16);
        long begin = System.nanoTime();
        if (!complete(name)) {
            build(name, images);
            log.info("shared images {} built in {} ms: {}", name, (System.nanoTime() - begin) / 1_000_000, images);
        } else {
            log.info("shared images {} found: {}", name, images);
        }
        current = name;
        sweep(name);
        return new PoolEngine.SharedImages(name, List.copyOf(images), List.copyOf(missing));
    }

    private void build(String name, List<String> images) {
        DockerClient host = clients.host();
        String key = "golden-" + name.substring(name.length() - 16);
        String builderName = "cyroid-golden-builder-" + name.substring(name.length() - 16);
        Map<String, String> volumeLabels = Map.of(CyroidLabels.MANAGED, "true", CyroidLabels.ROLE, ROLE,
                CyroidLabels.GOLDEN_IMAGES, String.join(",", images));
        if (volumeExists(name)) {
            // incomplete: a builder died half-way. No DinD mounts an incomplete copy, so it can go.
            host.removeVolumeCmd(name).exec();
        }
        host.createVolumeCmd().withName(name).withLabels(volumeLabels).exec();
        Path socketFolder = clients.rangeSocketFolder(key);
        String builderId = null;
        try {
            Files.createDirectories(socketFolder);
            builderId = host.createContainerCmd(properties.getDindImage())
                    .withName(builderName)
                    .withLabels(Map.of(CyroidLabels.MANAGED, "true", CyroidLabels.ROLE, BUILDER_ROLE))
                    .withHostConfig(DockerRangeEngine.securityFor(hostSetup.securityMode())
                            .withNetworkMode("none")
                            .withCgroupnsMode("private")
                            .withTmpFs(Map.of("/run", "rw,exec"))
                            .withMounts(List.of(
                                    new Mount().withType(MountType.VOLUME).withSource(name)
                                            .withTarget(DockerRangeEngine.INNER_DOCKER_DIR),
                                    new Mount().withType(MountType.BIND).withSource(socketFolder.toString())
                                            .withTarget(DockerRangeEngine.SOCKET_MOUNT))))
                    .exec().getId();
            host.startContainerCmd(builderId).exec();
            engine.waitForInnerEngine(key, builderId);
            DockerRangeEngine.copyImages(host, clients.inner(key), images);
            exec(host, builderId, "touch", DockerRangeEngine.INNER_DOCKER_DIR + "/" + COMPLETE);
            // a clean engine shutdown, so the copy holds no half-written state
            host.stopContainerCmd(builderId).withTimeout(30).exec();
        } catch (ConflictException busy) {
            // another server on this engine builds the same copy right now: wait for it
            waitForOtherBuilder(name);
            return;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            removeQuietly(host, builderId, name);
            throw e;
        } finally {
            clients.forget(key);
            if (builderId != null) {
                try {
                    host.removeContainerCmd(builderId).withForce(true).exec();
                } catch (NotFoundException gone) {
                    // already gone
                }
            }
            DockerRangeEngine.deleteRecursively(socketFolder);
        }
        if (!complete(name)) {
            throw new EngineException("the shared images " + name + " were built but are not complete");
        }
    }

    private void waitForOtherBuilder(String name) {
        long deadline = System.nanoTime() + properties.stepTimeout("seed-images").toNanos();
        while (System.nanoTime() < deadline) {
            if (complete(name)) {
                return;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException("interrupted while waiting for the shared images");
            }
        }
        throw new EngineException("another server's build of " + name + " did not finish");
    }

    /** True if the volume exists and its builder finished: a throwaway container looks for the marker. */
    private boolean complete(String name) {
        if (!volumeExists(name)) {
            return false;
        }
        DockerClient host = clients.host();
        String id = host.createContainerCmd(properties.getDindImage())
                .withLabels(Map.of(CyroidLabels.MANAGED, "true", CyroidLabels.ROLE, ROLE + "-check"))
                .withEntrypoint("/bin/sh", "-c", "test -e " + MOUNT + "/" + COMPLETE)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none")
                        .withMounts(List.of(new Mount().withType(MountType.VOLUME).withSource(name)
                                .withTarget(MOUNT).withReadOnly(true))))
                .exec().getId();
        try {
            host.startContainerCmd(id).exec();
            Integer code = host.waitContainerCmd(id).start().awaitStatusCode(60, TimeUnit.SECONDS);
            return code != null && code == 0;
        } finally {
            host.removeContainerCmd(id).withForce(true).exec();
        }
    }

    private boolean volumeExists(String name) {
        try {
            clients.host().inspectVolumeCmd(name).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Shared copies that are not current, older than {@link #KEEP_UNUSED} and mounted by no DinD go. */
    void sweep(String keep) {
        DockerClient host = clients.host();
        List<InspectVolumeResponse> volumes = host.listVolumesCmd()
                .withFilter("label", List.of(CyroidLabels.ROLE + "=" + ROLE)).exec().getVolumes();
        for (InspectVolumeResponse volume : volumes == null ? List.<InspectVolumeResponse>of() : volumes) {
            if (volume.getName().equals(keep) || !olderThan(volume, KEEP_UNUSED)) {
                continue;
            }
            try {
                host.removeVolumeCmd(volume.getName()).exec();
                log.info("shared images {} removed: not current and not in use", volume.getName());
            } catch (ConflictException inUse) {
                log.debug("shared images {} still in use", volume.getName());
            } catch (DockerException e) {
                log.info("shared images {} not removed: {}", volume.getName(), e.getMessage());
            }
        }
    }

    private boolean olderThan(InspectVolumeResponse volume, Duration age) {
        try {
            Object created = clients.host().inspectVolumeCmd(volume.getName()).exec().getRawValues().get("CreatedAt");
            return created != null && Instant.parse(created.toString()).plus(age).isBefore(Instant.now());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void exec(DockerClient host, String containerId, String... command) {
        // attached, so the start call lasts as long as the command; a detached start returns at once, and the exit
        // code is not known yet (seen under load: "exited with null")
        String execId = host.execCreateCmd(containerId).withCmd(command).withAttachStdout(true)
                .withAttachStderr(true).exec().getId();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            host.execStartCmd(execId).exec(new ResultCallback.Adapter<>()).awaitCompletion(30, TimeUnit.SECONDS);
            while (Boolean.TRUE.equals(host.inspectExecCmd(execId).exec().isRunning())
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while finishing the shared images");
        }
        Long code = host.inspectExecCmd(execId).exec().getExitCodeLong();
        if (code == null || code != 0) {
            throw new EngineException("finishing the shared images failed: " + String.join(" ", command)
                    + " exited with " + code);
        }
    }

    private static void removeQuietly(DockerClient host, String containerId, String volume) {
        try {
            if (containerId != null) {
                host.removeContainerCmd(containerId).withForce(true).exec();
            }
            host.removeVolumeCmd(volume).exec();
        } catch (RuntimeException e) {
            log.info("cleaning up a failed build of {}: {}", volume, e.getMessage());
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
