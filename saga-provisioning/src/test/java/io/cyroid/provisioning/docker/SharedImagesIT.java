package io.cyroid.provisioning.docker;

import io.cyroid.provisioning.*;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import io.cyroid.blueprint.InterfaceSpec;
import io.cyroid.blueprint.NetworkSpec;
import io.cyroid.blueprint.ResourceSpec;
import io.cyroid.blueprint.VmSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared images on the real engine: DinDs start with the images already in their engine, their layer files are
 * links into the shared read-only copy, and what one range does to its images never reaches another. The control:
 * a DinD created while no shared copy is current has no image until it is loaded.
 */
class SharedImagesIT {

    /** A tag of its own: the shared copy's name depends on it, so every run builds its copy from scratch. */
    static final String TAG = "it-" + UUID.randomUUID();
    static final String IMAGE = "cyroid/vm-busybox:" + TAG;
    static final String A = "it-shared-a-" + UUID.randomUUID();
    static final String B = "it-shared-b-" + UUID.randomUUID();
    static final String CONTROL = "it-shared-c-" + UUID.randomUUID();
    static final NetworkSpec LAN = new NetworkSpec("lan", "10.0.1.0/24", "10.0.1.1");
    static final VmSpec WEB = new VmSpec("web", IMAGE, "web", List.of(new InterfaceSpec("lan", "10.0.1.10")),
            Map.of(), List.of("sleep", "infinity"));

    static DockerClients clients;
    static DockerRangeEngine shared;
    static DockerRangeEngine unshared;
    static GoldenImages golden;

    @BeforeAll
    static void engines() throws Exception {
        ProvisioningProperties properties = new ProvisioningProperties();
        properties.setSocketDir(Files.createTempDirectory(Path.of("/tmp"), "cyg"));
        clients = new DockerClients("", properties.getSocketDir());
        HostEngineSetup setup = new HostEngineSetup(clients, properties);
        setup.prepare();
        golden = new GoldenImages(clients, properties, setup);
        shared = new DockerRangeEngine(clients, properties, setup, golden);
        golden.setEngine(shared);
        unshared = new DockerRangeEngine(clients, properties, setup, new GoldenImages(clients, properties, setup));
        clients.host().tagImageCmd("cyroid/vm-busybox:latest", "cyroid/vm-busybox", TAG).exec();
    }

    @AfterAll
    static void cleanUp() {
        for (String range : List.of(A, B, CONTROL)) {
            shared.removeRange(range);
        }
        golden.current().ifPresent(volume -> clients.host().removeVolumeCmd(volume).exec());
        clients.host().removeImageCmd(IMAGE).exec();
        clients.close();
    }

    @Test
    void rangesStartFromTheSharedImagesAndKeepTheirWritesToThemselves() {
        PoolEngine.SharedImages result = golden.share(List.of(IMAGE, "cyroid/absent-for-test:0"));
        assertThat(result.name()).startsWith("cyroid-golden-");
        assertThat(result.images()).containsExactly(IMAGE);
        assertThat(result.missing()).singleElement().asString().contains("cyroid/absent-for-test:0");
        assertThat(golden.share(List.of(IMAGE)).name()).as("built once, then found").isEqualTo(result.name());
        assertThat(clients.host().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(CyroidLabels.ROLE, GoldenImages.BUILDER_ROLE)).exec())
                .as("no builder left behind").noneMatch(c -> c.getNames()[0].endsWith(result.name()
                        .substring(result.name().length() - 16)));
        assertThat(clients.host().inspectVolumeCmd(result.name()).exec().getLabels())
                .containsEntry(CyroidLabels.MANAGED, "true").containsEntry(CyroidLabels.ROLE, "golden");

        shared.createDind(A, new ResourceSpec("512m", 1.0));
        shared.createDind(B, new ResourceSpec("512m", 1.0));
        unshared.createDind(CONTROL, new ResourceSpec("512m", 1.0));
        assertThat(hasImage(clients.inner(A))).as("range A before any load").isTrue();
        assertThat(hasImage(clients.inner(B))).as("range B before any load").isTrue();
        assertThat(hasImage(clients.inner(CONTROL))).as("control: no shared copy, no image").isFalse();
        assertThat(inDind(A, "find /var/lib/docker/overlay2 -mindepth 2 -maxdepth 2 -name diff -type l"
                + " -lname '" + GoldenImages.MOUNT + "/*' | wc -l").strip())
                .as("layer folders of range A that link into the shared copy").isNotEqualTo("0");
        assertThat(inDind(A, "touch " + GoldenImages.MOUNT + "/written 2>&1 || true"))
                .as("the shared copy is read-only in a range").contains("Read-only file system");

        for (String range : List.of(A, B)) {
            shared.createNetwork(range, LAN);
            shared.seedImages(range, List.of(IMAGE));
            assertThat(shared.startVm(range, WEB).interfaces()).isEqualTo(WEB.interfaces());
        }
        // range A removes its VM and its image: only its links and metadata go
        clients.inner(A).removeContainerCmd("web").withForce(true).exec();
        clients.inner(A).removeImageCmd(IMAGE).withForce(true).exec();
        assertThat(hasImage(clients.inner(A))).isFalse();
        assertThat(hasImage(clients.inner(B))).as("range B after A removed its image").isTrue();
        clients.inner(B).removeContainerCmd("web").withForce(true).exec();
        assertThat(shared.startVm(B, WEB).interfaces()).as("B starts a VM from the image again")
                .isEqualTo(WEB.interfaces());
        shared.seedImages(A, List.of(IMAGE)); // A loads its own copy again, into its own volume
        assertThat(shared.startVm(A, WEB).interfaces()).isEqualTo(WEB.interfaces());
    }

    private static boolean hasImage(DockerClient inner) {
        try {
            inner.inspectImageCmd(IMAGE).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static String inDind(String range, String script) {
        DockerClient host = clients.host();
        String exec = host.execCreateCmd(DockerRangeEngine.dindName(range)).withCmd("sh", "-c", script)
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        StringBuilder out = new StringBuilder();
        try {
            host.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }).awaitCompletion(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out.toString();
    }
}
