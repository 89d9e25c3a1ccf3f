package io.cyroid.provisioning.docker;

import io.cyroid.provisioning.*;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.async.ResultCallback;
import io.cyroid.blueprint.BlueprintValidator;
import io.cyroid.blueprint.InterfaceSpec;
import io.cyroid.blueprint.NetworkSpec;
import io.cyroid.blueprint.ResourceSpec;
import io.cyroid.blueprint.VmSpec;
import io.cyroid.messages.VmAction;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotModifiedException;
import java.util.function.Supplier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link RangeEngine} on a real Docker host through docker-java. */
public class DockerRangeEngine implements RangeEngine {

    static final String DIND_ROLE = "dind";
    static final String VM_ROLE = "vm";
    static final String NETWORK_ROLE = "range-network";
    static final String INNER_DOCKER_DIR = "/var/lib/docker";
    static final String SOCKET_MOUNT = "/run/cyroid";

    private static final Logger log = LoggerFactory.getLogger(DockerRangeEngine.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long CPU_PERIOD = 100_000L;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    /**
     * A DinD answers ARP on an interface only for the addresses of that interface (arp_ignore=1), and speaks with
     * the address of the interface it sends on (arp_announce=2). By default Linux answers for any address of the
     * machine: a DinD whose inner bridge held the host's cyroid-ranges gateway address answered ARP for it on
     * cyroid-ranges and took other ranges' traffic (issue 7). "all" counts for every interface, present and future.
     */
    static final Map<String, String> DIND_SYSCTLS = Map.of(
            "net.ipv4.conf.all.arp_ignore", "1",
            "net.ipv4.conf.all.arp_announce", "2",
            "net.ipv4.conf.all.proxy_arp", "0");

    private final DockerClients clients;
    private final ProvisioningProperties properties;
    private final HostEngineSetup hostSetup;
    private final GoldenImages golden;
    private final RangeRouting routing;

    public DockerRangeEngine(DockerClients clients, ProvisioningProperties properties, HostEngineSetup hostSetup,
                             GoldenImages golden) {
        this.clients = clients;
        this.properties = properties;
        this.hostSetup = hostSetup;
        this.golden = golden;
        this.routing = new RangeRouting(clients, properties);
    }

    @Override
    public Dind createDind(String rangeId, ResourceSpec resources) {
        return guard(() -> doCreateDind(rangeId, resources, CyroidLabels.forRange(rangeId, DIND_ROLE)));
    }

    /** A warm pool's DinD: a range's DinD in every way, made before the range, with the pool's label added. */
    void createWarmDind(String rangeId, String node) {
        guard(() -> doCreateDind(rangeId, null, CyroidLabels.forWarmDind(rangeId, DIND_ROLE, node)));
    }

    @Override
    public String createNetwork(String rangeId, NetworkSpec network) {
        return guard(() -> doCreateNetwork(rangeId, network));
    }

    @Override
    public void seedImages(String rangeId, List<String> images) {
        guard(() -> {
            doSeedImages(rangeId, images);
            return null;
        });
    }

    @Override
    public StartedVm startVm(String rangeId, VmSpec vm) {
        return guard(() -> doStartVm(rangeId, vm));
    }

    @Override
    public void confirmRunning(String rangeId, List<VmSpec> vms) {
        guard(() -> {
            doConfirmRunning(rangeId, vms);
            return null;
        });
    }

    @Override
    public Optional<String> removeRange(String rangeId) {
        return guard(() -> doRemoveRange(rangeId));
    }

    @Override
    public StartedVm vmAction(String rangeId, VmSpec vm, VmAction action) {
        return guard(() -> doVmAction(rangeId, vm, action));
    }

    private StartedVm doVmAction(String rangeId, VmSpec vm, VmAction action) {
        DockerClient inner = clients.inner(rangeId);
        Optional<Container> existing = findOwnedContainer(inner, vm.name(), rangeId);
        if (action == VmAction.RESET) {
            // a new container from the blueprint snapshot, with the same addresses: whatever the trainee changed goes
            existing.ifPresent(c -> inner.removeContainerCmd(c.getId()).withForce(true).exec());
            return doStartVm(rangeId, vm);
        }
        String id = existing.map(Container::getId).orElseThrow(() -> new EngineException("VM " + vm.name()
                + " does not exist in the range any more: reset it to create it again"));
        try {
            switch (action) {
                case START -> inner.startContainerCmd(id).exec();
                case STOP -> inner.stopContainerCmd(id).withTimeout(10).exec();
                case RESTART -> inner.restartContainerCmd(id).withTimeout(10).exec();
                default -> throw new IllegalArgumentException("unknown action " + action);
            }
        } catch (NotModifiedException alreadyThere) {
            // already running (start) or already stopped (stop): the wanted state
        }
        InspectContainerResponse state = inner.inspectContainerCmd(id).exec();
        boolean runningNow = Boolean.TRUE.equals(state.getState().getRunning());
        if (action != VmAction.STOP && !runningNow) {
            throw new EngineException("VM " + vm.name() + " exited with code " + state.getState().getExitCodeLong()
                    + ": " + logTail(inner, id));
        }
        if (runningNow) {
            routing.applyRoutes(rangeId, id); // a start makes a new network namespace, with Docker's routes only
        }
        return new StartedVm(id, addressesOf(state, vm));
    }

    /**
     * Every engine call of a step goes through here: the engine's error becomes an {@link EngineException} in the
     * engine's own words (no Java class names, no host paths), marked transient when the engine did not answer or
     * timed out, so the worker may try the step again.
     */
    private <T> T guard(Supplier<T> call) {
        try {
            return call.get();
        } catch (EngineException e) {
            throw new EngineException(clean(e.getMessage()), e.isTransient(), e.getCause());
        } catch (DockerException e) {
            boolean transientFailure = e.getHttpStatus() >= 500 && TRANSIENT.matcher(String.valueOf(e.getMessage()))
                    .find();
            throw new EngineException(clean(e.getMessage()), transientFailure, e);
        } catch (RuntimeException e) {
            boolean transientFailure = causedByIo(e);
            String message = transientFailure ? "the Docker engine did not answer: " + rootMessage(e)
                    : rootMessage(e);
            throw new EngineException(clean(message), transientFailure, e);
        }
    }

    private static final java.util.regex.Pattern TRANSIENT = java.util.regex.Pattern.compile(
            "(?i)timeout|timed out|deadline exceeded|connection (refused|reset)|EOF|temporarily|try again");

    private String clean(String message) {
        return io.cyroid.provisioning.EngineMessages.clean(message,
                properties.getSocketDir().toAbsolutePath().toString(), "(the range socket folder)");
    }

    private static boolean causedByIo(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof java.net.SocketException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : e.getMessage();
        return message != null ? message : root.getClass().getSimpleName();
    }

    public static String dindName(String rangeId) {
        return "cyroid-range-" + rangeId;
    }

    static String volumeName(String rangeId) {
        return dindName(rangeId) + "-docker";
    }

    private Dind doCreateDind(String rangeId, ResourceSpec resources, Map<String, String> labels) {
        DockerClient host = clients.host();
        String name = dindName(rangeId);
        Optional<Container> existing = findOwnedContainer(host, name, rangeId);
        String containerId = existing.map(Container::getId)
                .orElseGet(() -> createDindContainer(host, rangeId, name, resources, labels));
        existing.filter(DockerRangeEngine::warm).ifPresent(c -> fitLimits(host, c.getId(), resources));
        InspectContainerResponse state = host.inspectContainerCmd(containerId).exec();
        if (!Boolean.TRUE.equals(state.getState().getRunning())) {
            host.startContainerCmd(containerId).exec();
        }
        waitForInnerEngine(rangeId, containerId);
        routing.applyWalls(containerId);
        DindWall.apply(host, containerId);
        ContainerNetwork mgmt = host.inspectContainerCmd(containerId).exec().getNetworkSettings().getNetworks()
                .get(properties.getRangesNetwork());
        String mgmtIp = mgmt == null ? null : mgmt.getIpAddress();
        return new Dind(containerId, name, mgmtIp, properties.getDockerHostName());
    }

    private String createDindContainer(DockerClient host, String rangeId, String name, ResourceSpec resources,
                                       Map<String, String> labels) {
        Path socketFolder = clients.rangeSocketFolder(rangeId);
        clients.innerSocket(rangeId); // fail early on a socket path the kernel would refuse
        try {
            // root only: whoever can open the inner socket commands the range's engine
            Files.createDirectories(socketFolder);
            Files.setPosixFilePermissions(socketFolder.getParent(), OWNER_ONLY);
            Files.setPosixFilePermissions(socketFolder, OWNER_ONLY);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the socket folder " + socketFolder, e);
        }
        host.createVolumeCmd().withName(volumeName(rangeId)).withLabels(labels).exec();
        HostConfig hostConfig = securityFor(hostSetup.securityMode())
                .withNetworkMode(properties.getRangesNetwork())
                // own cgroup namespace: on cgroup v1 the VMs would otherwise land in the host's hierarchy,
                // outside the DinD's memory and CPU limits
                .withCgroupnsMode("private")
                .withMemory(memoryBytes(resources))
                .withPidsLimit(properties.getPidsLimit())
                .withTmpFs(Map.of("/run", "rw,exec"))
                .withSysctls(DIND_SYSCTLS)
                .withMounts(mounts(rangeId, socketFolder));
        if (labels.containsKey(CyroidLabels.POOL_NODE)) {
            // a warm DinD gets its range's limits when a range takes it; the engine updates a quota, not NanoCPUs
            hostConfig.withCpuPeriod(CPU_PERIOD).withCpuQuota(nanoCpus(resources) * CPU_PERIOD / 1_000_000_000L);
        } else {
            hostConfig.withNanoCPUs(nanoCpus(resources));
        }
        String id = host.createContainerCmd(properties.getDindImage())
                .withName(name)
                .withHostName("range")
                .withLabels(labels)
                .withHostConfig(hostConfig)
                .exec().getId();
        log.info("range {}: DinD container {} created ({})", rangeId, name, hostSetup.securityMode());
        return id;
    }

    /**
     * The range's own engine state, its socket folder and, when there is one, the shared images read-only: the
     * DinD's entrypoint then starts its engine state from them (docker/dind-entrypoint.sh) instead of a load.
     */
    private List<Mount> mounts(String rangeId, Path socketFolder) {
        List<Mount> mounts = new ArrayList<>(List.of(
                new Mount().withType(MountType.VOLUME).withSource(volumeName(rangeId)).withTarget(INNER_DOCKER_DIR),
                new Mount().withType(MountType.BIND).withSource(socketFolder.toString()).withTarget(SOCKET_MOUNT)));
        golden.current().ifPresent(volume -> mounts.add(new Mount().withType(MountType.VOLUME).withSource(volume)
                .withTarget(GoldenImages.MOUNT).withReadOnly(true)));
        return mounts;
    }

    private static boolean warm(Container container) {
        return container.getLabels() != null && container.getLabels().containsKey(CyroidLabels.POOL_NODE);
    }

    /** A warm DinD taken by a range: its memory and CPU limits become the range's, while it runs. */
    private void fitLimits(DockerClient host, String containerId, ResourceSpec resources) {
        HostConfig now = host.inspectContainerCmd(containerId).exec().getHostConfig();
        long memory = memoryBytes(resources);
        long quota = nanoCpus(resources) * CPU_PERIOD / 1_000_000_000L;
        if (Objects.equals(now.getMemory(), memory) && Objects.equals(now.getCpuQuota(), quota)) {
            return;
        }
        host.updateContainerCmd(containerId).withMemory(memory).withMemorySwap(2 * memory)
                .withCpuPeriod((int) CPU_PERIOD).withCpuQuota((int) quota).exec();
        log.info("warm DinD {}: limits set to the range's ({} bytes, {} CPUs)", containerId, memory,
                quota / (double) CPU_PERIOD);
    }

    /** A host config with the rights a DinD needs in the given mode (see {@link DindSecurity}). */
    static HostConfig securityFor(DindSecurityMode mode) {
        return DindSecurity.hostConfigFor(mode);
    }

    private long memoryBytes(ResourceSpec resources) {
        String memory = resources != null && resources.memory() != null ? resources.memory()
                : properties.getDefaultMemory();
        return BlueprintValidator.parseMemoryBytes(memory);
    }

    /**
     * A blueprint's explicit CPU count is taken as asked (the engine refuses more than the host has, and the step
     * fails saying so); the configured default is capped at the host's CPUs, so the laptop default of 4 still works
     * on a 2-core machine.
     */
    private long nanoCpus(ResourceSpec resources) {
        double cpus = resources != null && resources.cpus() != null ? resources.cpus()
                : Math.min(properties.getDefaultCpus(), hostSetup.hostCpus());
        return Math.round(cpus * 1_000_000_000d);
    }

    /** Polls the inner engine through its socket; if the DinD dies first, says why with the tail of its log. */
    void waitForInnerEngine(String rangeId, String containerId) {
        long deadline = System.nanoTime() + properties.getDindStartupTimeout().toNanos();
        Path socket = clients.innerSocket(rangeId);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            InspectContainerResponse state = clients.host().inspectContainerCmd(containerId).exec();
            if (!Boolean.TRUE.equals(state.getState().getRunning())) {
                throw new EngineException("DinD container exited with code " + state.getState().getExitCodeLong()
                        + " before its engine answered: " + logTail(clients.host(), containerId));
            }
            if (Files.exists(socket)) {
                try {
                    clients.inner(rangeId).pingCmd().exec();
                    return;
                } catch (RuntimeException e) {
                    last = e;
                }
            }
            sleep(POLL);
        }
        throw new EngineException("the inner engine did not answer within " + properties.getDindStartupTimeout()
                .toSeconds() + " s (DIND_STARTUP_TIMEOUT)" + (last == null ? "" : ": " + last.getMessage())
                + "; log: " + logTail(clients.host(), containerId));
    }

    private String doCreateNetwork(String rangeId, NetworkSpec spec) {
        DockerClient inner = clients.inner(rangeId);
        Optional<Network> existing = inner.listNetworksCmd().withNameFilter(spec.name()).exec().stream()
                .filter(n -> spec.name().equals(n.getName())).findFirst();
        if (existing.isPresent()) {
            Network network = existing.get();
            boolean same = network.getIpam() != null && network.getIpam().getConfig() != null
                    && network.getIpam().getConfig().stream().anyMatch(c -> spec.subnet().equals(c.getSubnet())
                    && spec.gateway().equals(c.getGateway()));
            if (!same) {
                throw new EngineException("network " + spec.name() + " exists in the range with other addresses");
            }
            if (Boolean.TRUE.equals(network.getInternal()) == spec.leavesRange()) {
                throw new EngineException("network " + spec.name() + " exists in the range with another way out"
                        + " (internet)");
            }
            return network.getId();
        }
        return inner.createNetworkCmd()
                .withName(spec.name())
                .withDriver("bridge")
                .withCheckDuplicate(true)
                // internal: no route out of the range through the DinD's NAT (to other DinDs, the host, the world);
                // an internet network gets the NAT, and the DinD's walls (RangeRouting) keep it off this machine
                .withInternal(!spec.leavesRange())
                .withLabels(CyroidLabels.forRange(rangeId, NETWORK_ROLE))
                .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config()
                        .withSubnet(spec.subnet()).withGateway(spec.gateway())))
                .exec().getId();
    }

    private void doSeedImages(String rangeId, List<String> images) {
        copyImages(clients.host(), clients.inner(rangeId), images);
    }

    /** Save on the host, load into the inner engine, for each image the inner engine does not have yet. */
    static void copyImages(DockerClient host, DockerClient inner, List<String> images) {
        for (String image : images) {
            if (hasImage(inner, image)) {
                continue;
            }
            if (!hasImage(host, image)) {
                throw new EngineException("image " + image + " is not on the host engine: build or pull it there"
                        + " first (ranges never pull from a registry)");
            }
            try (InputStream tar = host.saveImageCmd(image).exec()) {
                inner.loadImageCmd(tar).exec();
            } catch (IOException e) {
                throw new EngineException("copying image " + image + " into the range failed: " + e.getMessage(), e);
            }
            if (!hasImage(inner, image)) {
                throw new EngineException("image " + image + " was loaded but the inner engine does not list it");
            }
        }
    }

    static boolean hasImage(DockerClient client, String image) {
        try {
            client.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private StartedVm doStartVm(String rangeId, VmSpec vm) {
        DockerClient inner = clients.inner(rangeId);
        Optional<Container> existing = findOwnedContainer(inner, vm.name(), rangeId);
        String id;
        if (existing.isPresent() && addressesOf(inner.inspectContainerCmd(existing.get().getId()).exec(), vm)
                .equals(vm.interfaces())) {
            id = existing.get().getId(); // a retried step: this VM was created with its exact IPs already
        } else {
            existing.ifPresent(c -> inner.removeContainerCmd(c.getId()).withForce(true).exec());
            id = createVm(inner, rangeId, vm);
        }
        if (!Boolean.TRUE.equals(inner.inspectContainerCmd(id).exec().getState().getRunning())) {
            inner.startContainerCmd(id).exec();
        }
        InspectContainerResponse started = inner.inspectContainerCmd(id).exec();
        if (!Boolean.TRUE.equals(started.getState().getRunning())) {
            throw new EngineException("VM " + vm.name() + " exited with code " + started.getState().getExitCodeLong()
                    + ": " + logTail(inner, id));
        }
        routing.applyRoutes(rangeId, id);
        return new StartedVm(id, addressesOf(started, vm));
    }

    private void doConfirmRunning(String rangeId, List<VmSpec> vms) {
        DockerClient inner = clients.inner(rangeId);
        for (VmSpec vm : vms) {
            InspectContainerResponse state = inner.inspectContainerCmd(vm.name()).exec();
            if (!Boolean.TRUE.equals(state.getState().getRunning())) {
                throw new EngineException("VM " + vm.name() + " exited with code " + state.getState()
                        .getExitCodeLong() + ": " + logTail(inner, state.getId()));
            }
        }
    }

    /**
     * The first interface is set in the create call and every other one is connected with its fixed address before
     * the first start: the VM never runs with an address the blueprint did not give it. (Engines before API 1.44
     * accept only one endpoint in a create call.)
     */
    private String createVm(DockerClient inner, String rangeId, VmSpec vm) {
        InterfaceSpec first = vm.interfaces().get(0);
        // A VM's network namespace starts with forwarding ON (the DinD's engine turned it on for itself, and new
        // namespaces inherit it, as measured): a VM with two interfaces would route. Only a router or firewall may;
        // it also gets NET_ADMIN so that its own iptables rules work; no other VM gets either (docs/security.md)
        HostConfig hostConfig = HostConfig.newHostConfig().withNetworkMode(first.network())
                .withSysctls(Map.of("net.ipv4.ip_forward", vm.forwards() ? "1" : "0"));
        if (vm.forwards()) {
            hostConfig.withCapAdd(Capability.NET_ADMIN);
        }
        var create = inner.createContainerCmd(vm.image())
                .withName(vm.name())
                .withHostName(vm.hostname() == null || vm.hostname().isBlank() ? vm.name() : vm.hostname())
                .withLabels(vmLabels(rangeId, vm))
                .withEnv(vm.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList())
                .withHostConfig(hostConfig)
                .withIpv4Address(first.ip());
        if (!vm.command().isEmpty()) {
            create.withCmd(vm.command());
        }
        String id = create.exec().getId();
        for (InterfaceSpec nic : vm.interfaces().subList(1, vm.interfaces().size())) {
            inner.connectToNetworkCmd().withNetworkId(nic.network()).withContainerId(id)
                    .withContainerNetwork(new ContainerNetwork()
                            .withIpamConfig(new ContainerNetwork.Ipam().withIpv4Address(nic.ip())))
                    .exec();
        }
        return id;
    }

    private static Map<String, String> vmLabels(String rangeId, VmSpec vm) {
        Map<String, String> labels = new java.util.HashMap<>(CyroidLabels.forRange(rangeId, VM_ROLE));
        if (!vm.routes().isEmpty()) {
            labels.put(CyroidLabels.ROUTES, RangeRouting.routesLabel(vm.routes()));
        }
        return labels;
    }

    /** The VM's addresses as the engine reports them, in blueprint order. */
    private static List<InterfaceSpec> addressesOf(InspectContainerResponse container, VmSpec vm) {
        Map<String, ContainerNetwork> networks = container.getNetworkSettings().getNetworks();
        List<InterfaceSpec> result = new ArrayList<>();
        for (InterfaceSpec nic : vm.interfaces()) {
            ContainerNetwork network = networks.get(nic.network());
            String ip = null;
            if (network != null) {
                ip = network.getIpAddress() != null && !network.getIpAddress().isBlank() ? network.getIpAddress()
                        : network.getIpamConfig() == null ? null : network.getIpamConfig().getIpv4Address();
            }
            result.add(new InterfaceSpec(nic.network(), ip));
        }
        return result;
    }

    private Optional<String> doRemoveRange(String rangeId) {
        DockerClient host = clients.host();
        clients.forget(rangeId);
        String label = CyroidLabels.rangeFilter(rangeId);
        List<Container> containers = host.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(CyroidLabels.RANGE_ID, rangeId)).exec();
        for (Container container : containers) {
            try {
                host.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
            } catch (NotFoundException gone) {
                // removed concurrently: what we wanted
            }
        }
        var volumes = host.listVolumesCmd().withFilter("label", List.of(label)).exec().getVolumes();
        for (var volume : volumes == null ? List.<com.github.dockerjava.api.command.InspectVolumeResponse>of()
                : volumes) {
            try {
                host.removeVolumeCmd(volume.getName()).exec();
            } catch (NotFoundException gone) {
                // already gone
            }
        }
        for (Network network : host.listNetworksCmd().withFilter("label", List.of(label)).exec()) {
            try {
                host.removeNetworkCmd(network.getId()).exec();
            } catch (NotFoundException gone) {
                // already gone
            }
        }
        deleteRecursively(clients.rangeSocketFolder(rangeId));
        log.info("range {}: removed {} container(s), {} volume(s)", rangeId, containers.size(),
                volumes == null ? 0 : volumes.size());
        return containers.stream().filter(c -> c.getLabels() != null
                        && DIND_ROLE.equals(c.getLabels().get(CyroidLabels.ROLE)))
                .map(Container::getId).findFirst();
    }

    /** A container of this name that carries this range's label; a same-named stranger is an error, never reused. */
    private static Optional<Container> findOwnedContainer(DockerClient client, String name, String rangeId) {
        List<Container> named = client.listContainersCmd().withShowAll(true).withNameFilter(List.of(name)).exec()
                .stream().filter(c -> c.getNames() != null && List.of(c.getNames()).contains("/" + name)).toList();
        for (Container container : named) {
            Map<String, String> labels = container.getLabels();
            if (labels == null || !rangeId.equals(labels.get(CyroidLabels.RANGE_ID))) {
                throw new EngineException("a container named " + name + " exists but does not belong to range "
                        + rangeId);
            }
            return Optional.of(container);
        }
        return Optional.empty();
    }

    static String logTail(DockerClient client, String containerId) {
        StringBuilder out = new StringBuilder();
        try {
            client.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTail(8)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            return "(log unavailable: " + e.getMessage() + ")";
        }
        String text = out.toString().strip();
        if (text.isEmpty()) {
            return "(empty log)";
        }
        text = text.replaceAll("\\s*\\n\\s*", " | ");
        return text.length() <= 1200 ? text : "..." + text.substring(text.length() - 1200);
    }

    static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    log.warn("could not delete {}: {}", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            log.warn("could not delete {}: {}", folder, e.getMessage());
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while waiting on the engine");
        }
    }
}
