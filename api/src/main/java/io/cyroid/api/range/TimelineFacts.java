package io.cyroid.api.range;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a range's events say about the moments of its steps; folded once, read by {@link RangeTimeline}. */
final class TimelineFacts {

    record Span(String step, String target, Instant start, Instant end, String outcome, String detail) {
    }

    Instant requested;
    Instant dind;
    Instant imagesSeeded;
    Instant deployed;
    Instant failedAt;
    String failedStep;
    String failedReason;
    Instant compensated;
    String compensationLeftovers;
    Instant destroyRequested;
    Instant destroyed;
    String destroyLeftovers;
    final List<String> networks = new ArrayList<>();
    final List<String> vms = new ArrayList<>();
    final Map<String, Instant> networkCreated = new HashMap<>();
    /** A VM's first start, during the deployment; a later VmStarted is the end of a VM action. */
    final Map<String, Instant> vmStarted = new HashMap<>();
    final List<Span> degradations = new ArrayList<>();
    final List<Span> vmActions = new ArrayList<>();
    private final Map<String, Span> openActions = new HashMap<>();
    private Span openDegradation;

    TimelineFacts(List<RangeHistory.Entry> events) {
        events.forEach(this::apply);
        openActions.values().forEach(vmActions::add);
        Optional.ofNullable(openDegradation).ifPresent(degradations::add);
    }

    private void apply(RangeHistory.Entry event) {
        JsonNode p = event.payload();
        Instant at = event.timestamp();
        switch (event.type()) {
            case "RangeRequested" -> {
                requested = at;
                names(p.path("blueprint").path("networks"), networks);
                names(p.path("blueprint").path("vms"), vms);
            }
            case "DinDCreated" -> dind = at;
            case "NetworkCreated" -> networkCreated.putIfAbsent(text(p, "name"), at);
            case "ImagesSeeded" -> imagesSeeded = at;
            case "VmStarted" -> {
                if (deployed == null && failedAt == null) {
                    vmStarted.putIfAbsent(text(p, "vmName"), at);
                } else {
                    closeAction(text(p, "vmName"), at, RangeTimeline.OK, null);
                }
            }
            case "RangeDeployed" -> deployed = at;
            case "RangeDeploymentFailed" -> {
                failedAt = at;
                failedStep = text(p, "step");
                failedReason = String.valueOf(text(p, "reason"));
            }
            case "RangeDestroyRequested" -> destroyRequested = at;
            case "DinDRemoved" -> dindRemoved(at, text(p, "leftovers"));
            case "RangeDestroyed" -> destroyed = at;
            case "VmActionRequested" -> openActions.put(text(p, "vmName"), new Span("VM_" + text(p, "action"),
                    text(p, "vmName"), at, null, RangeTimeline.RUNNING, null));
            case "VmStopped", "VmRestarted", "VmReset" -> closeAction(text(p, "vmName"), at, RangeTimeline.OK, null);
            case "VmActionFailed" -> closeAction(text(p, "vmName"), at, RangeTimeline.FAILED, text(p, "reason"));
            case "RangeDegraded" -> openDegradation = openDegradation != null ? openDegradation
                    : new Span(RangeTimeline.RECOVER, null, at, null, RangeTimeline.RUNNING, text(p, "reason"));
            case "RangeRecovered" -> {
                if (openDegradation != null) {
                    degradations.add(new Span(RangeTimeline.RECOVER, null, openDegradation.start(), at,
                            RangeTimeline.OK, openDegradation.detail()));
                    openDegradation = null;
                }
            }
            default -> {
                // other events (new types among them) mark no step boundary
            }
        }
    }

    /** A removal after a failure, before any destroy request, is the compensation; otherwise the destroy's. */
    private void dindRemoved(Instant at, String leftovers) {
        if (failedAt != null && destroyRequested == null && compensated == null) {
            compensated = at;
            compensationLeftovers = leftovers;
        } else if (destroyRequested != null) {
            destroyLeftovers = leftovers;
        }
    }

    /** The end of a VM's requested action; a VM stopping by itself (no action asked) is no step. */
    private void closeAction(String vm, Instant at, String outcome, String detail) {
        Span open = openActions.remove(vm);
        if (open != null) {
            vmActions.add(new Span(open.step(), vm, open.start(), at, outcome, detail));
        }
    }

    /**
     * When a VM could start: it needs the images and the networks, so the later of the images and the last network.
     * For a VM that started before every network existed (a saga that starts each VM once its own networks are
     * there), the last network created before it.
     */
    Instant vmMayStart(String vm) {
        Instant started = vmStarted.get(vm);
        if (imagesSeeded == null || (started == null && !networkCreated.keySet().containsAll(networks))) {
            return null;
        }
        return networkCreated.values().stream().filter(at -> started == null || !at.isAfter(started))
                .reduce(imagesSeeded, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** When the last VM started, once every VM of the blueprint has. */
    Instant allVmsStarted() {
        if (vms.isEmpty() || !vmStarted.keySet().containsAll(vms)) {
            return null;
        }
        return vmStarted.values().stream().max(Instant::compareTo).orElse(null);
    }

    /** How many steps of this kind started and never ended. */
    long pending(String step) {
        return pendingTargets(step).size();
    }

    boolean reasonNamesAny(String step) {
        return pendingTargets(step).stream().anyMatch(failedReason::contains);
    }

    private List<String> pendingTargets(String step) {
        return switch (step) {
            case "CREATE_NETWORK" -> networks.stream().filter(n -> !networkCreated.containsKey(n)).toList();
            case "START_VM" -> vms.stream().filter(v -> !vmStarted.containsKey(v)).toList();
            default -> List.of();
        };
    }

    private static void names(JsonNode specs, List<String> into) {
        specs.forEach(spec -> into.add(spec.path("name").asText()));
    }

    private static String text(JsonNode payload, String field) {
        JsonNode value = payload == null ? null : payload.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
