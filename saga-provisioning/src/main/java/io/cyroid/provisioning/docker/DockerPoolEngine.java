package io.cyroid.provisioning.docker;

import io.cyroid.provisioning.*;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The {@link PoolEngine} on the real Docker host: warm DinDs are range DinDs made early, with one more label. */
public class DockerPoolEngine implements PoolEngine {

    private final DockerClients clients;
    private final DockerRangeEngine ranges;
    private final GoldenImages golden;
    private final String node;

    public DockerPoolEngine(DockerClients clients, DockerRangeEngine ranges, GoldenImages golden, String node) {
        this.clients = clients;
        this.ranges = ranges;
        this.golden = golden;
        this.node = node;
        golden.setEngine(ranges);
    }

    @Override
    public SharedImages shareImages(List<String> images) {
        return golden.share(images);
    }

    @Override
    public void startWarmDind(String rangeId) {
        ranges.createWarmDind(rangeId, node);
    }

    @Override
    public List<String> warmDinds() {
        return clients.host().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(CyroidLabels.POOL_NODE, node,
                        CyroidLabels.ROLE, DockerRangeEngine.DIND_ROLE)).exec().stream()
                .map(c -> c.getLabels() == null ? null : c.getLabels().get(CyroidLabels.RANGE_ID))
                .filter(Objects::nonNull)
                // made by this installation: its socket folder is in ours (another server on this engine may share
                // the node id, never the socket folder)
                .filter(rangeId -> Files.isDirectory(clients.rangeSocketFolder(rangeId))).toList();
    }

    @Override
    public boolean answers(String rangeId) {
        try {
            InspectContainerResponse state = clients.host().inspectContainerCmd(DockerRangeEngine.dindName(rangeId))
                    .exec();
            if (!Boolean.TRUE.equals(state.getState().getRunning())) {
                return false;
            }
            clients.inner(rangeId).pingCmd().exec();
            return true;
        } catch (NotFoundException gone) {
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public int dindCount() {
        List<Container> dinds = clients.host().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(CyroidLabels.MANAGED, "true", CyroidLabels.ROLE, DockerRangeEngine.DIND_ROLE))
                .exec();
        return dinds.size();
    }

    @Override
    public void discard(String rangeId) {
        ranges.removeRange(rangeId);
    }
}
