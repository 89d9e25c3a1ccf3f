package io.cyroid.api.range;

import io.cyroid.api.AxonConfiguration;
import io.cyroid.api.Blocking;
import io.cyroid.api.IdProvider;
import io.cyroid.provisioning.WarmPool;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import io.cyroid.messages.RangeSummary;
import io.cyroid.messages.WatchRanges;
import org.springframework.beans.factory.annotation.Value;
import io.cyroid.api.InvalidRequestException;
import io.cyroid.api.StrictBody;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.cyroid.api.NotFoundException;
import io.cyroid.api.blueprint.BlueprintStore;
import io.cyroid.blueprint.BlueprintValidator;
import io.cyroid.blueprint.ResourceSpec;
import io.cyroid.blueprint.Violation;
import io.cyroid.messages.DestroyRange;
import io.cyroid.messages.RequestVmAction;
import io.cyroid.messages.VmAction;
import io.cyroid.messages.FindRange;
import io.cyroid.messages.ListRanges;
import io.cyroid.messages.RangeStatus;
import io.cyroid.messages.RangeView;
import io.cyroid.messages.RequestRange;
import io.cyroid.messages.RecordRedeploy;
import io.cyroid.provisioning.HostEngine;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/ranges")
public class RangeController {

    /** Starts and ends with a letter, digit or mark: no leading or trailing space (an untrimmed name is refused). */
    static final Pattern NAME = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9 _.-]{0,61}[a-zA-Z0-9_.-])?");
    static final Duration READ_MODEL_WAIT = Duration.ofSeconds(5);

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final BlueprintStore blueprints;
    private final RangeHistory history;
    private final IdProvider ids;
    private final HostEngine host;
    private final WarmPool pool;
    private final Duration heartbeat;
    private final ObjectMapper json;

    public RangeController(CommandGateway commands, QueryGateway queries, BlueprintStore blueprints,
                           RangeHistory history, IdProvider ids, HostEngine host, WarmPool pool,
                           @Value("${cyroid.api.stream-heartbeat:15s}") Duration heartbeat, ObjectMapper json) {
        this.json = json;
        this.heartbeat = heartbeat;
        this.pool = pool;
        this.commands = commands;
        this.queries = queries;
        this.blueprints = blueprints;
        this.history = history;
        this.ids = ids;
        this.host = host;
    }

    public record DeployRequest(String blueprintId, String name) {
    }

    public record Accepted(String rangeId, RangeStatus status) {
    }

    @Operation(summary = "Deploy a blueprint as a new range (asynchronous: follow /stream or poll)")
    @ApiResponse(responseCode = "404", description = "No blueprint with that blueprintId")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Mono<Accepted> deploy(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                                         schema = @Schema(implementation = DeployRequest.class)))
                                 @RequestBody JsonNode body, Principal user, ServerHttpRequest http,
                                 @RequestHeader(name = "X-Correlation-Id", required = false) String correlationId) {
        DeployRequest request;
        try {
            request = StrictBody.read(body, DeployRequest.class, json, "the range request");
        } catch (InvalidRequestException e) {
            return Mono.error(e);
        }
        List<Violation> violations = new ArrayList<>();
        if (request.blueprintId() == null || request.blueprintId().isBlank()) {
            violations.add(new Violation("blueprintId", "is required"));
        }
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            violations.add(new Violation("name", "is required: 1-63 letters, digits, spaces, '_', '.' or '-',"
                    + " starting with a letter or digit, not ending with a space"));
        }
        if (!violations.isEmpty()) {
            return Mono.error(new InvalidRequestException("the range request is invalid", violations));
        }
        return blueprints.find(request.blueprintId())
                .switchIfEmpty(Mono.error(() -> new NotFoundException("no blueprint " + request.blueprintId())))
                // 409, not 400: the request is well-formed, the blueprint's state forbids it (as for a revision)
                .doOnNext(stored -> BlueprintStore.requireNotRetired(stored, "deployed"))
                .flatMap(stored -> request(new RequestRange(null, request.name(), stored.id(), stored.blueprint(),
                        user.getName(), stored.version()), metaData(user, correlationId, http)));
    }

    public record RedeployRequest(String name) {
    }

    @Operation(summary = "Deploy the blueprint snapshot a range was deployed from again, as a new range (any state of"
            + " the original, DESTROYED included; the blueprint may since have been revised or retired). The new range"
            + " names the original in redeployOf, the original lists it in redeployedAs. Body optional: {\"name\"},"
            + " by default the original's name.")
    @PostMapping(path = "/{id}/redeploy", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Mono<Accepted> redeploy(@PathVariable String id,
                                   @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                                           schema = @Schema(implementation = RedeployRequest.class)))
                                   @RequestBody(required = false) JsonNode body,
                                   Principal user, ServerHttpRequest http,
                                   @RequestHeader(name = "X-Correlation-Id", required = false) String correlationId) {
        RedeployRequest request;
        try {
            request = body == null || body.isNull() || body.isMissingNode() ? null
                    : StrictBody.read(body, RedeployRequest.class, json, "the redeploy request");
        } catch (InvalidRequestException e) {
            return Mono.error(e);
        }
        String name = request == null ? null : request.name();
        if (name != null && !NAME.matcher(name).matches()) {
            return Mono.error(new InvalidRequestException("the redeploy request is invalid", List.of(new Violation(
                    "name", "1-63 letters, digits, spaces, '_', '.' or '-', starting with a letter or digit"))));
        }
        MetaData metaData = metaData(user, correlationId, http);
        return find(id, user, "redeploy", RangeAccess::canManage)
                .then(Blocking.call(() -> history.requested(id).orElse(null)))
                .switchIfEmpty(Mono.error(() -> new NotFoundException("no range " + id)))
                .flatMap(original -> request(new RequestRange(null, name != null ? name : original.name(),
                                original.blueprintId(), original.blueprint(), user.getName(),
                                original.blueprintVersion(), id), metaData)
                        .flatMap(accepted -> Blocking.call(() -> commands.sendAndWait(
                                new RecordRedeploy(id, accepted.rangeId(), user.getName()), metaData))
                                .thenReturn(accepted)));
    }

    /**
     * Requests a range of {@code template}'s blueprint under a fresh id (or a warm DinD's): the blueprint is checked
     * against today's rules and this host first, so a stored snapshot that no longer passes is refused, not failed.
     */
    private Mono<Accepted> request(RequestRange template, MetaData metaData) {
        return Mono.fromCallable(() -> {
                    blueprints.requireValid(template.blueprint());
                    requireFitsHost(template.blueprint().resources());
                    return template;
                })
                .flatMap(checked -> {
                    // a warm DinD waits for a range under its own id: requesting the range under that id hands it over
                    Optional<String> warm = pool.take(checked.blueprint().resources());
                    pool.wants(checked.blueprint().images());
                    String rangeId = warm.orElseGet(ids);
                    return Blocking.call(() -> commands.sendAndWait(new RequestRange(rangeId, checked.name(),
                                    checked.blueprintId(), checked.blueprint(), checked.requestedBy(),
                                    checked.blueprintVersion(), checked.redeployOf()), metaData))
                            .doOnError(e -> warm.ifPresent(pool::giveBack))
                            .then(readable(rangeId))
                            .thenReturn(new Accepted(rangeId, RangeStatus.REQUESTED));
                });
    }

    /**
     * Completes once the read model holds the range, or after {@link #READ_MODEL_WAIT} at most: the projection
     * follows the event store a moment later, and a client that follows /stream or GETs the range right after the
     * 202 must not be told the range does not exist.
     */
    private Mono<Void> readable(String rangeId) {
        return views(rangeId).next().timeout(READ_MODEL_WAIT, Mono.empty()).then();
    }

    /**
     * The range's view now and after every change, newest only, until the subscriber leaves. Updates are
     * subscribed to before the current state is read, so no change falls between the two.
     */
    private Flux<RangeView> views(String rangeId) {
        return views(rangeId, OptionalLong.empty());
    }

    /**
     * As {@link #views(String)}; resuming after the state {@code resumeAfter}, every state since then comes first,
     * replayed from the event store (which may be a little ahead of the read model: the updates that follow for
     * those states are dropped as not newer).
     */
    private Flux<RangeView> views(String rangeId, OptionalLong resumeAfter) {
        return Flux.using(
                () -> queries.subscriptionQuery(new FindRange(rangeId), ResponseTypes.instanceOf(RangeView.class),
                        ResponseTypes.instanceOf(RangeView.class)),
                (SubscriptionQueryResult<RangeView, RangeView> result) -> Flux.concat(
                                resumeAfter.isPresent()
                                        ? Blocking.call(() -> history.after(rangeId, resumeAfter.getAsLong()))
                                                .flatMapMany(Flux::fromIterable)
                                        : result.initialResult().subscribeOn(Blocking.SCHEDULER),
                                result.updates())
                        .transform(RangeController::newerOnly),
                SubscriptionQueryResult::close);
    }

    /**
     * A blueprint may ask for more than this host has: refused before anything is appended, rather than failing
     * the range at its first step.
     */
    private void requireFitsHost(ResourceSpec resources) {
        if (resources == null) {
            return;
        }
        List<Violation> violations = new ArrayList<>();
        if (resources.cpus() != null && resources.cpus() > host.hostCpus()) {
            violations.add(new Violation("resources.cpus", "the blueprint asks for " + resources.cpus()
                    + " CPUs; the Docker host has " + host.hostCpus()));
        }
        if (resources.memory() != null
                && BlueprintValidator.parseMemoryBytes(resources.memory()) > host.hostMemory()) {
            violations.add(new Violation("resources.memory", "the blueprint asks for " + resources.memory()
                    + "; the Docker host has " + host.hostMemory() / (1024 * 1024) + " MiB"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException("the blueprint does not fit this Docker host", violations);
        }
    }

    @Operation(summary = "Every range, whatever its status (a plain array, not paged)")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<List<RangeView>> list(Principal user) {
        return Blocking.call(() -> queries.query(new ListRanges(), ResponseTypes.multipleInstancesOf(RangeView.class))
                .join().stream().filter(range -> RangeAccess.canSee(user, range.createdBy(), range.assignees()))
                .toList());
    }

    @Operation(summary = "One range: status, DinD, networks, VMs and their states, times (ISO-8601 UTC)")
    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<RangeView> get(@PathVariable String id, Principal user) {
        return find(id, user, "see", RangeAccess::canSee);
    }

    @Operation(summary = "Destroy a range: it goes DESTROYING, then DESTROYED once nothing of it is left")
    @DeleteMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Mono<Accepted> destroy(@PathVariable String id, Principal user, ServerHttpRequest http,
                                  @RequestHeader(name = "X-Correlation-Id", required = false) String correlationId) {
        return find(id, user, "destroy", RangeAccess::canManage)
                .then(Blocking.call(() -> commands.sendAndWait(new DestroyRange(id, user.getName()),
                        metaData(user, correlationId, http))))
                .thenReturn(new Accepted(id, RangeStatus.DESTROYING));
    }

    public record VmActionAccepted(String rangeId, String vm, VmAction action) {
    }

    @Operation(summary = "Start, stop, restart or reset (recreate from the blueprint, same IPs) one VM of a deployed"
            + " range: 202, then the VM's state follows on /stream; 409 when the range is not DEPLOYED or the VM is"
            + " already in that state or busy, 404 for an unknown VM")
    @PostMapping(path = "/{id}/vms/{vm}/{action:start|stop|restart|reset}",
            produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Mono<VmActionAccepted> vmAction(@PathVariable String id, @PathVariable String vm,
                                           @PathVariable String action, Principal user, ServerHttpRequest http,
                                           @RequestHeader(name = "X-Correlation-Id", required = false)
                                           String correlationId) {
        VmAction wanted = VmAction.valueOf(action.toUpperCase(java.util.Locale.ROOT));
        return find(id, user, "use", RangeAccess::canUse)
                .then(Blocking.call(() -> commands.sendAndWait(new RequestVmAction(id, vm, wanted, user.getName()),
                        metaData(user, correlationId, http))))
                .thenReturn(new VmActionAccepted(id, vm, wanted));
    }

    @Operation(summary = "The range's events in order, from the event store")
    @GetMapping(path = "/{id}/events", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<List<RangeHistory.Entry>> events(@PathVariable String id, Principal user) {
        return find(id, user, "see", RangeAccess::canSee).then(Blocking.call(() -> history.of(id)))
                .flatMap(entries -> entries.isEmpty()
                        ? Mono.error(new NotFoundException("no range " + id)) : Mono.just(entries));
    }

    @Operation(summary = "The range's steps (DinD, each network, images, each VM, deploy, failure, compensation,"
            + " destroy, VM actions) with start, end, duration, outcome and the engine's error text, from its events")
    @GetMapping(path = "/{id}/timeline", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<RangeTimeline.Timeline> timeline(@PathVariable String id, Principal user) {
        return events(id, user).map(entries -> RangeTimeline.of(id, entries));
    }

    @Operation(summary = "The range as it was right after its event number {sequence} (0 is RangeRequested; the last"
            + " equals the live range), computed by replaying its events through the range projection's handlers")
    @GetMapping(path = "/{id}/at/{sequence}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<RangeView> at(@PathVariable String id, @PathVariable long sequence, Principal user) {
        if (sequence < 0) {
            return Mono.error(new InvalidRequestException("the sequence is invalid",
                    List.of(new Violation("sequence", "must be 0 or more"))));
        }
        return find(id, user, "see", RangeAccess::canSee)
                .then(Blocking.call(() -> history.at(id, sequence).orElse(null)))
                .switchIfEmpty(Mono.error(() -> new NotFoundException("range " + id + " has no event " + sequence)));
    }

    @Operation(summary = "Server-Sent Events: the range's state at once, then on every change, each message's id the"
            + " range's event number; with Last-Event-ID, every state after that one instead, replayed from the event"
            + " store, then live. A comment every 15 s keeps proxies from closing it; it ends after DESTROYED.")
    @GetMapping(path = "/{id}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<RangeView>> stream(@PathVariable String id, Principal user,
                                                   @RequestHeader(name = "Last-Event-ID", required = false)
                                                   String lastEventId) {
        OptionalLong resumeAfter = eventId(lastEventId);
        return find(id, user, "see", RangeAccess::canSee).flatMapMany(first -> views(id, resumeAfter)
                .map(view -> ServerSentEvent.builder(view).event("range").id(String.valueOf(view.version())).build())
                .transform(this::withHeartbeat)
                .takeUntil(sse -> sse.data() != null && sse.data().status() == RangeStatus.DESTROYED));
    }

    @Operation(summary = "Server-Sent Events: every range's summary at once (oldest change first), then each range's"
            + " summary on every change; each message's id is the change's position in the event store. With"
            + " Last-Event-ID, the newest summary of every range changed after that position instead, then live."
            + " A comment every 15 s keeps proxies from closing it.")
    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<RangeSummary>> streamAll(@RequestHeader(name = "Last-Event-ID", required = false)
                                                         String lastEventId, Principal user) {
        long after = eventId(lastEventId).orElse(-1);
        return Flux.using(
                        () -> queries.subscriptionQuery(new WatchRanges(after),
                                ResponseTypes.multipleInstancesOf(RangeSummary.class),
                                ResponseTypes.instanceOf(RangeSummary.class)),
                        (SubscriptionQueryResult<List<RangeSummary>, RangeSummary> result) -> Flux.concat(
                                        result.initialResult().subscribeOn(Blocking.SCHEDULER)
                                                .flatMapMany(Flux::fromIterable),
                                        result.updates())
                                .filter(summary -> RangeAccess.canSee(user, summary.createdBy(), summary.assignees()))
                                .transform(RangeController::newerPerRange),
                        SubscriptionQueryResult::close)
                .map(summary -> ServerSentEvent.builder(summary).event("range").id(String.valueOf(summary.position()))
                        .build())
                .transform(this::withHeartbeat);
    }

    /** A comment now and then: proxies close a connection that stays silent, and a quiet range is silent. */
    private <T> Flux<ServerSentEvent<T>> withHeartbeat(Flux<ServerSentEvent<T>> events) {
        return events.mergeWith(Flux.interval(heartbeat).map(tick -> ServerSentEvent.<T>builder()
                .comment("keep-alive").build()));
    }

    /** A Last-Event-ID this API sent is a number; anything else is ignored (the stream starts afresh). */
    static OptionalLong eventId(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            long id = Long.parseLong(lastEventId.trim());
            return id < 0 ? OptionalLong.empty() : OptionalLong.of(id);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * After the initial summaries, an update may repeat or predate what the initial read returned for its range:
     * per range, only changes after the one last sent go out.
     */
    static Flux<RangeSummary> newerPerRange(Flux<RangeSummary> summaries) {
        return Flux.defer(() -> {
            Map<String, Long> sent = new HashMap<>();
            return summaries.filter(summary -> {
                Long last = sent.get(summary.rangeId());
                if (last != null && summary.version() <= last) {
                    return false;
                }
                sent.put(summary.rangeId(), summary.version());
                return true;
            });
        });
    }

    /**
     * An update that arrived between the subscription and the initial read may repeat, or predate, the state the
     * initial read returned: only states newer than the last one sent go out, so event ids only grow.
     */
    static Flux<RangeView> newerOnly(Flux<RangeView> views) {
        return Flux.defer(() -> {
            AtomicLong sent = new AtomicLong(-1);
            return views.filter(view -> view.version() > sent.getAndAccumulate(view.version(), Math::max));
        });
    }

    /** The range, if the user may use it (VM actions, consoles): else 403 (404 when there is no such range). */
    public Mono<RangeView> usable(String id, Principal user) {
        return find(id, user, "use", RangeAccess::canUse);
    }

    /** The range, if the user may do {@code what} with it: else 403 (404 when there is no such range). */
    Mono<RangeView> find(String id, Principal user, String what, Access access) {
        return find(id).doOnNext(range -> RangeAccess.require(access.allows(user, range.createdBy(),
                range.assignees()), user, what, id));
    }

    interface Access {
        boolean allows(Principal user, String createdBy, List<String> assignees);
    }

    private Mono<RangeView> find(String id) {
        return Blocking.call(() -> queries.query(new FindRange(id), ResponseTypes.instanceOf(RangeView.class))
                        .join())
                .switchIfEmpty(Mono.error(() -> new NotFoundException("no range " + id)));
    }

    /** Who asked, from where, under which request id: carried onto every event the command causes (the audit log). */
    private MetaData metaData(Principal user, String correlationId, ServerHttpRequest http) {
        MetaData metaData = MetaData.with(AxonConfiguration.USER, user.getName());
        InetSocketAddress remote = http.getRemoteAddress();
        if (remote != null && remote.getAddress() != null) {
            metaData = metaData.and(AxonConfiguration.CLIENT, remote.getAddress().getHostAddress());
        }
        return correlationId == null || correlationId.isBlank() ? metaData
                : metaData.and(AxonConfiguration.REQUEST_ID, correlationId);
    }
}
