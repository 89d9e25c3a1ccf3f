package io.cyroid.provisioning;

import io.cyroid.provisioning.docker.*;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
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
