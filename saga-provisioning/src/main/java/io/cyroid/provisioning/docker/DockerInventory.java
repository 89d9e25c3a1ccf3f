package io.cyroid.provisioning.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerMount;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Network;
import io.cyroid.provisioning.EngineException;
import io.cyroid.provisioning.EngineInventory;
import io.cyroid.provisioning.EngineMessages;
import io.cyroid.provisioning.ProvisioningProperties;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link EngineInventory} on the real host engine and the ranges' inner engines, through docker-java. */
public class DockerInventory implements EngineInventory, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DockerInventory.class);
    /** Range ids become folder names: anything but a plain id (a label set by someone else) is never ours. */
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long[] RECONNECT_MILLIS = {500, 1000, 2000, 4000, 5000};
    /** Events an inner stream asks for again when it first opens: a VM that died just before it was watched. */
    private static final Duration INNER_LOOKBACK = Duration.ofSeconds(10);

    private final DockerClients clients;
    private final ProvisioningProperties properties;
    private final ScheduledExecutorService reconnects;
    private final RangeRouting routing;

    public DockerInventory(DockerClients clients, ProvisioningProperties properties) {
        this.clients = clients;
        this.properties = properties;
        this.routing = new RangeRouting(clients, properties);
        AtomicInteger count = new AtomicInteger();
        this.reconnects = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "cyroid-watch-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public List<HostObject> hostObjects() {
        return guard(() -> {
            DockerClient host = clients.host();
            List<HostObject> objects = new ArrayList<>();
            for (Container c : host.listContainersCmd().withShowAll(true)
                    .withLabelFilter(List.of(CyroidLabels.RANGE_ID)).exec()) {
                Map<String, String> labels = labels(c.getLabels());
                String rangeId = labels.get(CyroidLabels.RANGE_ID);
                boolean running = "running".equalsIgnoreCase(c.getState());
                Long exitCode = null;
                Instant finishedAt = null;
                if (!running) {
                    try {
                        InspectContainerResponse.ContainerState state = host.inspectContainerCmd(c.getId()).exec()
                                .getState();
                        exitCode = state.getExitCodeLong();
                        finishedAt = instant(state.getFinishedAt());
                    } catch (NotFoundException gone) {
                        continue;
                    }
                }
                List<String> sources = c.getMounts() == null ? List.of()
                        : c.getMounts().stream().map(ContainerMount::getSource).filter(Objects::nonNull).toList();
                objects.add(new HostObject(Kind.CONTAINER, c.getId(), name(c.getNames()), rangeId,
                        labels.get(CyroidLabels.ROLE), running, exitCode, finishedAt,
                        c.getCreated() == null ? null : Instant.ofEpochSecond(c.getCreated()),
                        ownedHere(rangeId, sources), labels));
            }
            var volumes = host.listVolumesCmd().withFilter("label", List.of(CyroidLabels.RANGE_ID)).exec()
                    .getVolumes();
            for (InspectVolumeResponse v : volumes == null ? List.<InspectVolumeResponse>of() : volumes) {
                objects.add(volume(v));
            }
            for (Network n : host.listNetworksCmd().withFilter("label", List.of(CyroidLabels.RANGE_ID)).exec()) {
                objects.add(network(n));
            }
            return objects;
        });
    }

    @Override
    public Optional<HostObject> hostObject(Kind kind, String id) {
        return guard(() -> {
            DockerClient host = clients.host();
            try {
                return switch (kind) {
                    case CONTAINER -> {
                        InspectContainerResponse c = host.inspectContainerCmd(id).exec();
                        Map<String, String> labels = labels(c.getConfig() == null ? null : c.getConfig().getLabels());
                        String rangeId = labels.get(CyroidLabels.RANGE_ID);
                        List<String> sources = c.getMounts() == null ? List.of()
                                : c.getMounts().stream().map(InspectContainerResponse.Mount::getSource)
                                .filter(Objects::nonNull).toList();
                        var state = c.getState();
                        boolean running = Boolean.TRUE.equals(state.getRunning());
                        yield Optional.of(new HostObject(Kind.CONTAINER, c.getId(), strip(c.getName()), rangeId,
                                labels.get(CyroidLabels.ROLE), running, running ? null : state.getExitCodeLong(),
                                running ? null : instant(state.getFinishedAt()), instant(c.getCreated()),
                                ownedHere(rangeId, sources), labels));
                    }
                    case VOLUME -> Optional.of(volume(host.inspectVolumeCmd(id).exec()));
                    case NETWORK -> Optional.of(network(host.inspectNetworkCmd().withNetworkId(id).exec()));
                };
            } catch (NotFoundException gone) {
                return Optional.empty();
            }
        });
    }

    @Override
    public Optional<HostObject> dind(String rangeId) {
        return hostObject(Kind.CONTAINER, DockerRangeEngine.dindName(rangeId))
                .filter(c -> rangeId.equals(c.rangeId()) && DockerRangeEngine.DIND_ROLE.equals(c.role()));
    }

    private HostObject volume(InspectVolumeResponse v) {
        Map<String, String> labels = labels(v.getLabels());
        String rangeId = labels.get(CyroidLabels.RANGE_ID);
        return new HostObject(Kind.VOLUME, v.getName(), v.getName(), rangeId, labels.get(CyroidLabels.ROLE), false,
                null, null, null, ownedHere(rangeId, List.of()), labels);
    }

    private HostObject network(Network n) {
        Map<String, String> labels = labels(n.getLabels());
        String rangeId = labels.get(CyroidLabels.RANGE_ID);
        return new HostObject(Kind.NETWORK, n.getId(), n.getName(), rangeId, labels.get(CyroidLabels.ROLE), false,
                null, null, n.getCreated() == null ? null : n.getCreated().toInstant(), ownedHere(rangeId, List.of()),
                labels);
    }

    /**
     * Made by this installation: the range's socket folder exists in this installation's socket folder (it is made
     * before anything else of the range and deleted after everything else), or the object mounts that folder.
     */
    private boolean ownedHere(String rangeId, List<String> mountSources) {
        if (rangeId == null || !PLAIN_ID.matcher(rangeId).matches()) {
            return false;
        }
        Path folder = clients.rangeSocketFolder(rangeId);
        return Files.isDirectory(folder) || mountSources.stream()
                .anyMatch(source -> Path.of(source).toAbsolutePath().normalize().equals(folder));
    }

    @Override
    public List<VmState> vms(String rangeId) {
        return guard(() -> {
            DockerClient inner = clients.inner(rangeId);
            List<VmState> vms = new ArrayList<>();
            for (Container c : inner.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(
                    CyroidLabels.RANGE_ID, rangeId, CyroidLabels.ROLE, DockerRangeEngine.VM_ROLE)).exec()) {
                if ("running".equalsIgnoreCase(c.getState())) {
                    vms.add(new VmState(name(c.getNames()), c.getId(), true, null, null));
                } else {
                    vm(inner, rangeId, c.getId()).ifPresent(vms::add);
                }
            }
            return vms;
        });
    }

    @Override
    public Optional<VmState> vm(String rangeId, String name) {
        return guard(() -> vm(clients.inner(rangeId), rangeId, name));
    }

    private static Optional<VmState> vm(DockerClient inner, String rangeId, String nameOrId) {
        try {
            InspectContainerResponse c = inner.inspectContainerCmd(nameOrId).exec();
            Map<String, String> labels = labels(c.getConfig() == null ? null : c.getConfig().getLabels());
            if (!rangeId.equals(labels.get(CyroidLabels.RANGE_ID))
                    || !DockerRangeEngine.VM_ROLE.equals(labels.get(CyroidLabels.ROLE))) {
                return Optional.empty();
            }
            var state = c.getState();
            boolean running = Boolean.TRUE.equals(state.getRunning());
            return Optional.of(new VmState(strip(c.getName()), c.getId(), running,
                    running ? null : state.getExitCodeLong(), running ? null : instant(state.getFinishedAt())));
        } catch (NotFoundException gone) {
            return Optional.empty();
        }
    }

    @Override
    public void startDind(String rangeId) {
        guard(() -> {
            DockerClient host = clients.host();
            String name = DockerRangeEngine.dindName(rangeId);
            InspectContainerResponse dind;
            try {
                dind = host.inspectContainerCmd(name).exec();
            } catch (NotFoundException gone) {
                throw new EngineException("the DinD container " + name + " is gone");
            }
            Map<String, String> labels = labels(dind.getConfig() == null ? null : dind.getConfig().getLabels());
            if (!rangeId.equals(labels.get(CyroidLabels.RANGE_ID))) {
                throw new EngineException("a container named " + name + " exists but does not belong to range "
                        + rangeId);
            }
            if (!Boolean.TRUE.equals(dind.getState().getRunning())) {
                clients.forget(rangeId); // its old socket is dead: a fresh client for the new inner engine
                try {
                    host.startContainerCmd(dind.getId()).exec();
                } catch (NotModifiedException alreadyRunning) {
                    // started meanwhile: what we want
                }
            }
            waitForInnerEngine(rangeId, dind.getId());
            routing.applyWalls(dind.getId()); // a restarted DinD has a new network namespace, without them
            DindWall.apply(host, dind.getId());
            return null;
        });
    }

    /** Polls the inner engine through its socket; if the DinD dies first, says why with the tail of its log. */
    private void waitForInnerEngine(String rangeId, String containerId) {
        long deadline = System.nanoTime() + properties.getDindStartupTimeout().toNanos();
        Path socket = clients.innerSocket(rangeId);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            InspectContainerResponse state = clients.host().inspectContainerCmd(containerId).exec();
            if (!Boolean.TRUE.equals(state.getState().getRunning())) {
                throw new EngineException("DinD container exited with code " + state.getState().getExitCodeLong()
                        + " before its engine answered: " + DockerRangeEngine.logTail(clients.host(), containerId));
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
                + "; log: " + DockerRangeEngine.logTail(clients.host(), containerId));
    }

    @Override
    public int startVms(String rangeId, List<String> vmNames) {
        return guard(() -> {
            DockerClient inner = clients.inner(rangeId);
            int started = 0;
            for (String name : vmNames) {
                VmState vm = vm(inner, rangeId, name).orElseThrow(() -> new EngineException("VM " + name
                        + " no longer exists in the range"));
                if (!vm.running()) {
                    try {
                        inner.startContainerCmd(vm.containerId()).exec();
                    } catch (NotModifiedException alreadyRunning) {
                        // started meanwhile
                    }
                    started++;
                }
            }
            sleep(properties.getVmSettleTime());
            for (String name : vmNames) {
                VmState vm = vm(inner, rangeId, name).orElseThrow(() -> new EngineException("VM " + name
                        + " no longer exists in the range"));
                if (!vm.running()) {
                    throw new EngineException("VM " + name + " exited with code " + vm.exitCode() + ": "
                            + DockerRangeEngine.logTail(inner, vm.containerId()));
                }
                routing.applyRoutes(rangeId, vm.containerId()); // a start gives the VM Docker's routes only
            }
            return started;
        });
    }

    @Override
    public void remove(HostObject object) {
        guard(() -> {
            DockerClient host = clients.host();
            try {
                switch (object.kind()) {
                    case CONTAINER -> {
                        if (DockerRangeEngine.DIND_ROLE.equals(object.role()) && object.rangeId() != null) {
                            clients.forget(object.rangeId());
                        }
                        host.removeContainerCmd(object.id()).withForce(true).withRemoveVolumes(true).exec();
                    }
                    case VOLUME -> host.removeVolumeCmd(object.id()).exec();
                    case NETWORK -> host.removeNetworkCmd(object.id()).exec();
                }
            } catch (NotFoundException gone) {
                // already gone: what we wanted
            }
            return null;
        });
    }

    @Override
    public void releaseRange(String rangeId) {
        if (rangeId == null || !PLAIN_ID.matcher(rangeId).matches()) {
            return;
        }
        boolean anyLeft = hostObjects().stream().anyMatch(o -> rangeId.equals(o.rangeId()));
        if (anyLeft) {
            return;
        }
        clients.forget(rangeId);
        deleteRecursively(clients.rangeSocketFolder(rangeId));
    }

    @Override
    public Subscription watchHost(Listener listener) {
        EventStream stream = new EventStream("host engine", clients::host, listener, null,
                new String[]{"die", "start", "destroy"},
                new String[]{CyroidLabels.MANAGED + "=true", CyroidLabels.RANGE_ID});
        stream.connect();
        return stream;
    }

    @Override
    public Subscription watchRange(String rangeId, Listener listener) {
        EventStream stream = new EventStream("range " + rangeId, () -> clients.inner(rangeId), listener,
                Instant.now().minus(INNER_LOOKBACK), new String[]{"die", "start"},
                new String[]{CyroidLabels.rangeFilter(rangeId), CyroidLabels.ROLE + "=" + DockerRangeEngine.VM_ROLE});
        stream.connect();
        return stream;
    }

    @Override
    public void close() {
        reconnects.shutdownNow();
    }

    /**
     * One engine's container events, opened again after a break (with {@code since} the last event seen, so a break
     * loses none) until closed. The callbacks run on docker-java's stream thread: listeners must hand work off.
     */
    private final class EventStream implements Subscription {
        private final String what;
        private final Supplier<DockerClient> client;
        private final Listener listener;
        private final String[] actions;
        private final String[] labelFilters;
        private volatile boolean closed;
        private volatile Closeable current;
        /** Epoch seconds of the last event seen (or the look-back on first open); null: from now. */
        private volatile Long since;
        private int failures;
        private boolean wasOpen;

        EventStream(String what, Supplier<DockerClient> client, Listener listener, Instant lookBack,
                    String[] actions, String[] labelFilters) {
            this.what = what;
            this.client = client;
            this.listener = listener;
            this.actions = actions;
            this.labelFilters = labelFilters;
            this.since = lookBack == null ? null : lookBack.getEpochSecond();
        }

        synchronized void connect() {
            if (closed) {
                return;
            }
            try {
                DockerClient docker = client.get();
                docker.pingCmd().exec(); // fails at once when the engine is away, rather than in the stream
                var cmd = docker.eventsCmd().withEventTypeFilter(EventType.CONTAINER).withEventFilter(actions)
                        .withLabelFilter(labelFilters);
                if (since != null) {
                    cmd.withSince(String.valueOf(since));
                }
                current = cmd.exec(new ResultCallback.Adapter<Event>() {
                    @Override
                    public void onNext(Event event) {
                        if (event.getTime() != null) {
                            since = event.getTime();
                        }
                        try {
                            listener.onEvent(toEvent(event));
                        } catch (RuntimeException e) {
                            log.warn("{}: an event listener failed: {}", what, e.toString());
                        }
                    }

                    @Override
                    public void onError(Throwable error) {
                        ended(error);
                    }

                    @Override
                    public void onComplete() {
                        ended(null);
                    }
                });
                boolean afterOutage = failures > 0;
                failures = 0;
                if (since == null) {
                    since = Instant.now().getEpochSecond();
                }
                log.debug("{}: watching container events{}", what, afterOutage ? " again" : "");
                wasOpen = true;
                listener.onConnected(afterOutage);
            } catch (RuntimeException e) {
                failures++;
                if (failures == 1 && wasOpen) {
                    log.info("{}: the event stream cannot be opened, trying again: {}", what, rootMessage(e));
                } else {
                    log.debug("{}: the event stream cannot be opened ({}): {}", what, failures, rootMessage(e));
                }
                scheduleReconnect();
            }
        }

        private void ended(Throwable error) {
            if (closed) {
                return;
            }
            String reason = error == null ? "the engine ended the stream" : rootMessage(error);
            log.debug("{}: the event stream broke: {}", what, reason);
            listener.onDisconnected(reason);
            scheduleReconnect();
        }

        private void scheduleReconnect() {
            if (closed || reconnects.isShutdown()) {
                return;
            }
            long delay = RECONNECT_MILLIS[Math.min(failures, RECONNECT_MILLIS.length - 1)];
            try {
                reconnects.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                // the server is stopping
            }
        }

        @Override
        public void close() {
            closed = true;
            Closeable stream = current;
            if (stream != null) {
                try {
                    stream.close();
                } catch (IOException | RuntimeException e) {
                    log.debug("{}: closing the event stream failed: {}", what, e.toString());
                }
            }
        }
    }

    private static ContainerEvent toEvent(Event event) {
        Map<String, String> attributes = event.getActor() == null || event.getActor().getAttributes() == null
                ? Map.of() : event.getActor().getAttributes();
        String action = event.getAction() != null ? event.getAction() : event.getStatus();
        Long exitCode = null;
        try {
            exitCode = attributes.containsKey("exitCode") ? Long.valueOf(attributes.get("exitCode")) : null;
        } catch (NumberFormatException ignored) {
            // not a number: unknown
        }
        Instant time = event.getTimeNano() != null ? Instant.ofEpochSecond(0, event.getTimeNano())
                : event.getTime() != null ? Instant.ofEpochSecond(event.getTime()) : Instant.now();
        String id = event.getId() != null ? event.getId() : event.getActor() == null ? null : event.getActor().getId();
        return new ContainerEvent(action, id, attributes.get("name"), attributes.get(CyroidLabels.RANGE_ID),
                attributes.get(CyroidLabels.ROLE), exitCode, time);
    }

    /** Engine errors in the engine's words, like the provisioning steps' (no class names, no host paths). */
    private <T> T guard(Supplier<T> call) {
        try {
            return call.get();
        } catch (EngineException e) {
            throw new EngineException(clean(e.getMessage()), e.isTransient(), e.getCause());
        } catch (DockerException e) {
            throw new EngineException(clean(e.getMessage()), e.getHttpStatus() >= 500, e);
        } catch (RuntimeException e) {
            throw new EngineException(clean("the Docker engine did not answer: " + rootMessage(e)), true, e);
        }
    }

    private String clean(String message) {
        return EngineMessages.clean(message, properties.getSocketDir().toAbsolutePath().toString(),
                "(the range socket folder)");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : e.getMessage();
        return message != null ? message : root.getClass().getSimpleName();
    }

    private static Map<String, String> labels(Map<String, String> labels) {
        return labels == null ? Map.of() : labels;
    }

    private static String name(String[] names) {
        return names == null || names.length == 0 ? null : strip(names[0]);
    }

    private static String strip(String name) {
        return name != null && name.startsWith("/") ? name.substring(1) : name;
    }

    private static Instant instant(String text) {
        if (text == null || text.isBlank() || text.startsWith("0001-01-01")) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void deleteRecursively(Path folder) {
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
