package io.cyroid.provisioning;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Everything the provisioning module reads from configuration; laptop defaults. The environment variables of the
 * design (DIND_IMAGE, DIND_STARTUP_TIMEOUT, CYROID_RANGES_NETWORK, RANGE_DEFAULT_MEMORY, ...) map onto these in the
 * application's {@code application.yml}.
 */
@ConfigurationProperties("cyroid.provisioning")
public class ProvisioningProperties {

    /** Host engine endpoint; empty means docker-java's default (DOCKER_HOST or the local socket). */
    private String dockerHost = "";
    /** Name recorded in events for the host engine (several hosts come later). */
    private String dockerHostName = "local";
    private String dindImage = "cyroid/dind:latest";
    /** A bare number means seconds (DIND_STARTUP_TIMEOUT=60); "90s" or "2m" work too. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration dindStartupTimeout = Duration.ofSeconds(60);
    /**
     * How long a range may take from request to DEPLOYED before it is failed and compensated; a deadline persisted
     * in the event store's database, so it holds across restarts. Bare number = seconds.
     */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration deployTimeout = Duration.ofMinutes(10);
    /** How long the VMs of a range must keep running after the last one started before it counts as deployed. */
    private Duration vmSettleTime = Duration.ofMillis(300);
    private DindSecurityMode dindSecurityMode = DindSecurityMode.AUTO;
    private String mgmtNetwork = "cyroid-mgmt";
    private String mgmtSubnet = "172.30.0.0/24";
    private String rangesNetwork = "cyroid-ranges";
    private String rangesSubnet = "172.30.1.0/24";
    /**
     * Firewall walls on the host engine between DinDs, cyroid-mgmt and the host itself (HostWalls,
     * scripts/host-walls.sh), applied at start. Off only for hosts where Cyroid may not touch the firewall; then the
     * walls are the operator's to build (docs/security.md).
     */
    private boolean hostWalls = true;
    private String defaultMemory = "8g";
    private double defaultCpus = 4.0;
    /** Processes a whole range (DinD, inner engine and every VM) may run: a fork bomb in a VM stops there. */
    private long pidsLimit = 4096;
    /**
     * Host folder holding one sub-folder per range, bind-mounted into its DinD at /run/cyroid: the inner engine's
     * only API endpoint besides its in-container default socket. Unix socket paths are limited to 108 bytes, so
     * keep it short.
     */
    private Path socketDir = Path.of("data", "sockets");

    /**
     * Engine operations that run at once on the Docker host (all inner engines share its disk and CPUs): a burst of
     * deploys queues instead of thrashing the disk. Removals have threads of their own, so a DELETE never waits
     * behind a queue of deploys.
     */
    private int engineConcurrency = 4;
    private int removalThreads = 2;
    /** Attempts of a step whose engine error is transient (engine unreachable, timeouts); then the step fails. */
    private int stepAttempts = 3;
    /** Pause before the first retry of a step; doubled for each further one. */
    private Duration retryBackoff = Duration.ofSeconds(1);
    /**
     * How long each step may take, queue time included, before it fails the range (an Axon deadline, persisted):
     * CREATE_DIND, CREATE_NETWORK, SEED_IMAGES, START_VM, REMOVE, VM_ACTION. Unlisted steps take the default.
     */
    private Map<String, Duration> stepTimeouts = new LinkedHashMap<>();
    private static final Map<String, Duration> BUILT_IN_STEP_TIMEOUTS = Map.of(
            "seedimages", Duration.ofMinutes(15),
            "createdind", Duration.ofMinutes(3),
            "remove", Duration.ofMinutes(3));
    private Duration defaultStepTimeout = Duration.ofMinutes(2);
    /** How long a removal waits for the range's running steps to finish before it removes anyway. */
    private Duration removalWait = Duration.ofSeconds(10);
    /** This node's name in ProvisioningNodeStarted: work in flight on it is handed to it again after a restart. */
    private String nodeId = "";
    private final FaultInjectionSettings faultInjection = new FaultInjectionSettings();
    private final PoolSettings pool = new PoolSettings();

    /**
     * The warm pool and the shared images (docs/performance.md): DinDs started ahead of demand, and one read-only
     * copy of the common images that every new DinD starts from instead of loading its own.
     */
    public static class PoolSettings {
        /** Warm DinDs kept ready; 0 turns the pool off (the shared images still serve cold deploys). */
        private int size = 2;
        /** At most this many DinDs (ranges and warm ones) on the engine: the pool does not grow past it. */
        private int maxDinds = 100;
        /** Images put into the shared read-only copy; an image not on the host engine is left out with a warning. */
        private List<String> goldenImages = new ArrayList<>(List.of("cyroid/vm-busybox:latest"));
        /** How often waiting DinDs are checked (a dead one is replaced) and the pool refilled at the latest. */
        private Duration checkInterval = Duration.ofSeconds(30);
        /** Warm DinDs started at the same time while refilling. */
        private int startThreads = 2;

        public int getSize() { return size; }
        public void setSize(int size) { this.size = size; }
        public int getMaxDinds() { return maxDinds; }
        public void setMaxDinds(int maxDinds) { this.maxDinds = maxDinds; }
        public List<String> getGoldenImages() { return goldenImages; }
        public void setGoldenImages(List<String> goldenImages) { this.goldenImages = goldenImages; }
        public Duration getCheckInterval() { return checkInterval; }
        public void setCheckInterval(Duration checkInterval) { this.checkInterval = checkInterval; }
        public int getStartThreads() { return startThreads; }
        public void setStartThreads(int startThreads) { this.startThreads = startThreads; }
    }

    /** Tests only: make chosen steps fail after their engine work. Off unless set in configuration; no API. */
    public static class FaultInjectionSettings {
        private boolean enabled;
        private List<String> steps = new ArrayList<>();

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public List<String> getSteps() { return steps; }
        public void setSteps(List<String> steps) { this.steps = steps; }
    }

    /** The step's limit; keys match whatever their case and separators (seed-images, SEED_IMAGES). */
    public Duration stepTimeout(String step) {
        String wanted = normalized(step);
        return stepTimeouts.entrySet().stream().filter(e -> normalized(e.getKey()).equals(wanted))
                .map(Map.Entry::getValue).findFirst()
                .orElse(BUILT_IN_STEP_TIMEOUTS.getOrDefault(wanted, defaultStepTimeout));
    }

    private static String normalized(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "").toLowerCase(java.util.Locale.ROOT);
    }

    public int getEngineConcurrency() { return engineConcurrency; }
    public void setEngineConcurrency(int engineConcurrency) { this.engineConcurrency = engineConcurrency; }
    public int getRemovalThreads() { return removalThreads; }
    public void setRemovalThreads(int removalThreads) { this.removalThreads = removalThreads; }
    public int getStepAttempts() { return stepAttempts; }
    public void setStepAttempts(int stepAttempts) { this.stepAttempts = stepAttempts; }
    public Duration getRetryBackoff() { return retryBackoff; }
    public void setRetryBackoff(Duration retryBackoff) { this.retryBackoff = retryBackoff; }
    public Map<String, Duration> getStepTimeouts() { return stepTimeouts; }
    public void setStepTimeouts(Map<String, Duration> stepTimeouts) { this.stepTimeouts = stepTimeouts; }
    public Duration getDefaultStepTimeout() { return defaultStepTimeout; }
    public void setDefaultStepTimeout(Duration defaultStepTimeout) { this.defaultStepTimeout = defaultStepTimeout; }
    public Duration getRemovalWait() { return removalWait; }
    public void setRemovalWait(Duration removalWait) { this.removalWait = removalWait; }
    public String getNodeId() { return nodeId; }
    public void setNodeId(String nodeId) { this.nodeId = nodeId; }
    public FaultInjectionSettings getFaultInjection() { return faultInjection; }
    public PoolSettings getPool() { return pool; }

    public String getDockerHost() { return dockerHost; }
    public void setDockerHost(String dockerHost) { this.dockerHost = dockerHost; }
    public String getDockerHostName() { return dockerHostName; }
    public void setDockerHostName(String dockerHostName) { this.dockerHostName = dockerHostName; }
    public String getDindImage() { return dindImage; }
    public void setDindImage(String dindImage) { this.dindImage = dindImage; }
    public Duration getDindStartupTimeout() { return dindStartupTimeout; }
    public void setDindStartupTimeout(Duration dindStartupTimeout) { this.dindStartupTimeout = dindStartupTimeout; }
    public Duration getDeployTimeout() { return deployTimeout; }
    public void setDeployTimeout(Duration deployTimeout) { this.deployTimeout = deployTimeout; }
    public Duration getVmSettleTime() { return vmSettleTime; }
    public void setVmSettleTime(Duration vmSettleTime) { this.vmSettleTime = vmSettleTime; }
    public DindSecurityMode getDindSecurityMode() { return dindSecurityMode; }
    public void setDindSecurityMode(DindSecurityMode dindSecurityMode) { this.dindSecurityMode = dindSecurityMode; }
    public String getMgmtNetwork() { return mgmtNetwork; }
    public void setMgmtNetwork(String mgmtNetwork) { this.mgmtNetwork = mgmtNetwork; }
    public String getMgmtSubnet() { return mgmtSubnet; }
    public void setMgmtSubnet(String mgmtSubnet) { this.mgmtSubnet = mgmtSubnet; }
    public String getRangesNetwork() { return rangesNetwork; }
    public void setRangesNetwork(String rangesNetwork) { this.rangesNetwork = rangesNetwork; }
    public String getRangesSubnet() { return rangesSubnet; }
    public boolean isHostWalls() { return hostWalls; }
    public void setHostWalls(boolean hostWalls) { this.hostWalls = hostWalls; }
    public void setRangesSubnet(String rangesSubnet) { this.rangesSubnet = rangesSubnet; }
    public String getDefaultMemory() { return defaultMemory; }
    public void setDefaultMemory(String defaultMemory) { this.defaultMemory = defaultMemory; }
    public double getDefaultCpus() { return defaultCpus; }
    public void setDefaultCpus(double defaultCpus) { this.defaultCpus = defaultCpus; }
    public long getPidsLimit() { return pidsLimit; }
    public void setPidsLimit(long pidsLimit) { this.pidsLimit = pidsLimit; }
    public Path getSocketDir() { return socketDir; }
    public void setSocketDir(Path socketDir) { this.socketDir = socketDir; }
}
