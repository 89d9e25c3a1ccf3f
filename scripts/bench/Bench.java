import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP side of scripts/bench.sh, JDK only (run with the JDK's source launcher, or compiled once by bench.sh).
 * Talks to one Cyroid server: BENCH_API (http://127.0.0.1:PORT), user admin, password BENCH_PASSWORD.
 * Progress goes to stderr; results go to stdout as lines "sample SERIES VALUE" (one measurement, milliseconds or
 * bytes), "value KEY TEXT" (one figure) and "range ID STATUS MS DIND-CONTAINER-ID", which bench.sh appends to its
 * results file. "report RESULTS-FILE" turns that file into the final markdown table.
 *
 * Commands (arguments are key=value):
 *   deploy    blueprint= runs= series= [pool=true] [destroy=true]  sequential deploys, POST -> DEPLOYED on SSE,
 *             step breakdown from /events; with destroy=true also DELETE -> DESTROYED
 *   many      blueprint= count= series= [name=]                    count POSTs at once, each followed on SSE
 *   destroy   ids=FILE series=                                     DELETE all at once, each followed on SSE
 *   cycles    blueprint= count= series=                            deploy + destroy, count times in a row
 *   density   blueprint= max= limit-ms=                            deploy one after another and keep them, until
 *             one fails, takes more than limit-ms, or max is reached
 *   load      id= rate= seconds= [timeout-ms=]                     GET /ranges/{id} at a fixed rate (open model)
 *   fanout    id= subscribers= vm=                                 SSE fan-out of one VM stop
 *   pool-wait [timeout-s=]                                          until GET /pool says ready == target
 *   report    results=FILE                                         the markdown table
 */
public class Bench {

    static final String API = env("BENCH_API", "http://127.0.0.1:8080") + "/api/v1";
    static final String AUTH = "Basic " + Base64.getEncoder().encodeToString(
            ("admin:" + env("BENCH_PASSWORD", "")).getBytes(StandardCharsets.UTF_8));
    static final long WAIT_MS = Long.parseLong(env("BENCH_TIMEOUT", "300")) * 1000;
    static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    });
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).executor(POOL).build();

    static final Pattern STATUS = Pattern.compile("\"status\":\"([A-Z_]+)\"");
    static final Pattern VERSION = Pattern.compile("\"version\":(\\d+)");
    static final Pattern RANGE_ID = Pattern.compile("\"rangeId\":\"([^\"]+)\"");
    static final Pattern EVENT = Pattern.compile("\"type\":\"(\\w+)\",\"timestamp\":\"([^\"]+)\"");
    static final Pattern DIND_ID = Pattern.compile("\"dind\":\\{[^}]*\"containerId\":\"([^\"]+)\"");
    static final Pattern FAILURE = Pattern.compile("\"failureReason\":\"((?:[^\"\\\\]|\\\\.)*)\"");
    static final Set<String> END_OF_DEPLOY = Set.of("DEPLOYED", "FAILED", "DEGRADED", "DESTROYED");
    static final Set<String> END_OF_DESTROY = Set.of("DESTROYED");

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: Bench COMMAND key=value...");
        }
        Map<String, String> a = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            a.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        switch (args[0]) {
            case "deploy" -> deploy(a);
            case "many" -> many(a);
            case "destroy" -> destroyAll(a);
            case "cycles" -> cycles(a);
            case "density" -> density(a);
            case "load" -> load(a);
            case "fanout" -> fanout(a);
            case "pool-wait" -> System.exit(poolWait(Long.parseLong(a.getOrDefault("timeout-s", "600"))) ? 0 : 3);
            case "report" -> Report.print(Path.of(a.get("results")));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
        System.out.flush();
        System.exit(0);
    }

    // ------------------------------------------------------------------------------------------------ commands

    /** Sequential deploys (and destroys) with the step breakdown. */
    static void deploy(Map<String, String> a) throws Exception {
        int runs = Integer.parseInt(a.getOrDefault("runs", "1"));
        String series = a.getOrDefault("series", "deploy");
        boolean pool = Boolean.parseBoolean(a.getOrDefault("pool", "false"));
        boolean destroy = Boolean.parseBoolean(a.getOrDefault("destroy", "true"));
        for (int i = 1; i <= runs; i++) {
            if (pool && !poolWait(600)) {
                throw new IllegalStateException("the pool did not fill within 600 s");
            }
            Deployed d = deployOne(a.get("blueprint"), series + "-" + System.currentTimeMillis() % 100000 + "-" + i);
            out("range " + d.id + " " + d.status + " " + d.ms + " " + d.dind);
            if (!"DEPLOYED".equals(d.status)) {
                throw new IllegalStateException("range " + d.id + " " + d.status + ": " + failure(d.id));
            }
            out("sample " + series + " " + d.ms);
            // steps: one per run of equal event types; each ends at the last event of its run
            List<String[]> events = events(d.id);
            long prev = d.postEpochMs;
            Map<String, Long> steps = new LinkedHashMap<>();
            for (int e = 0; e < events.size(); e++) {
                String type = events.get(e)[0];
                long ts = Instant.parse(events.get(e)[1]).toEpochMilli();
                boolean lastOfRun = e + 1 == events.size() || !events.get(e + 1)[0].equals(type);
                if (lastOfRun) {
                    steps.merge(type, ts - prev, Long::sum);
                    prev = ts;
                }
                if (type.equals("RangeDeployed")) {
                    break;
                }
            }
            steps.put("seen", d.seenEpochMs - prev);
            StringBuilder line = new StringBuilder();
            for (Map.Entry<String, Long> s : steps.entrySet()) {
                out("sample " + series + ".step." + s.getKey() + " " + s.getValue());
                line.append(s.getKey()).append('=').append(s.getValue()).append(' ');
            }
            log(series + " run " + i + "/" + runs + ": " + d.ms + " ms to DEPLOYED (" + line.toString().trim() + ")");
            if (destroy) {
                long ms = destroyOne(d.id);
                out("sample destroy " + ms);
            }
        }
    }

    /** count deploys requested at once. */
    static void many(Map<String, String> a) throws Exception {
        int count = Integer.parseInt(a.get("count"));
        String series = a.getOrDefault("series", "many");
        String name = a.getOrDefault("name", series);
        List<CompletableFuture<Deployed>> all = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        long t0 = System.nanoTime();
        for (int i = 1; i <= count; i++) {
            String n = name + "-" + i;
            all.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                    return deployOne(a.get("blueprint"), n);
                } catch (Exception e) {
                    log("deploy " + n + " failed: " + e);
                    return new Deployed("-", "ERROR", 0, 0, 0, "-");
                }
            }, POOL));
        }
        go.countDown();
        int ok = 0;
        for (CompletableFuture<Deployed> f : all) {
            Deployed d = f.get();
            out("range " + d.id + " " + d.status + " " + d.ms + " " + d.dind);
            if ("DEPLOYED".equals(d.status)) {
                ok++;
                out("sample " + series + ".each " + d.ms);
            } else {
                log("range " + d.id + " " + d.status + ": " + (d.id.equals("-") ? "" : failure(d.id)));
            }
        }
        long total = (System.nanoTime() - t0) / 1_000_000;
        out("value " + series + ".total_ms " + total);
        out("value " + series + ".ok " + ok);
        out("value " + series + ".failed " + (count - ok));
        log(series + ": " + count + " at once, " + ok + " DEPLOYED, all done after " + total + " ms");
    }

    static void destroyAll(Map<String, String> a) throws Exception {
        List<String> ids = Files.readAllLines(Path.of(a.get("ids"))).stream().map(String::trim)
                .filter(s -> !s.isEmpty() && !s.equals("-")).distinct().toList();
        String series = a.getOrDefault("series", "destroy");
        List<CompletableFuture<Long>> all = new ArrayList<>();
        for (String id : ids) {
            all.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return destroyOne(id);
                } catch (Exception e) {
                    log("destroy " + id + ": " + e);
                    return -1L;
                }
            }, POOL));
        }
        int failed = 0;
        for (CompletableFuture<Long> f : all) {
            long ms = f.get();
            if (ms < 0) {
                failed++;
            } else {
                out("sample " + series + " " + ms);
            }
        }
        log("destroyed " + (ids.size() - failed) + " of " + ids.size() + " range(s)");
        if (failed > 0) {
            System.exit(2);
        }
    }

    static void cycles(Map<String, String> a) throws Exception {
        int count = Integer.parseInt(a.get("count"));
        String series = a.getOrDefault("series", "cycle");
        int failed = 0;
        long t0 = System.nanoTime();
        for (int i = 1; i <= count; i++) {
            Deployed d;
            try {
                d = deployOne(a.get("blueprint"), series + "-" + i);
            } catch (Exception e) {
                log("cycle " + i + ": " + e);
                failed++;
                continue;
            }
            out("range " + d.id + " " + d.status + " " + d.ms + " " + d.dind);
            if ("DEPLOYED".equals(d.status)) {
                out("sample " + series + ".deploy " + d.ms);
            } else {
                failed++;
                log("cycle " + i + ": range " + d.id + " " + d.status + ": " + failure(d.id));
            }
            try {
                out("sample " + series + ".destroy " + destroyOne(d.id));
            } catch (Exception e) {
                log("cycle " + i + ": destroy: " + e);
                failed++;
            }
            if (i % 10 == 0 || i == count) {
                log("cycle " + i + "/" + count + " (" + (System.nanoTime() - t0) / 1_000_000_000 + " s, "
                        + failed + " failure(s))");
            }
        }
        out("value " + series + ".failed " + failed);
    }

    static void density(Map<String, String> a) throws Exception {
        int max = Integer.parseInt(a.get("max"));
        long limit = Long.parseLong(a.getOrDefault("limit-ms", "30000"));
        int held = 0;
        String why = "cap";
        for (int i = 1; i <= max; i++) {
            Deployed d;
            try {
                d = deployOne(a.get("blueprint"), "density-" + i);
            } catch (Exception e) {
                why = "deploy " + i + ": " + e.getMessage();
                break;
            }
            out("range " + d.id + " " + d.status + " " + d.ms + " " + d.dind);
            if (!"DEPLOYED".equals(d.status)) {
                why = "deploy " + i + " " + d.status + ": " + failure(d.id);
                break;
            }
            out("sample density.deploy " + d.ms);
            log("density: range " + i + " DEPLOYED in " + d.ms + " ms");
            if (d.ms > limit) {
                why = "deploy " + i + " took " + d.ms + " ms";
                break;
            }
            held = i;
        }
        out("value density.held " + held);
        out("value density.cap " + max);
        out("value density.stop " + why.replace('\n', ' '));
        log("density: " + held + " range(s) held; stopped by: " + why);
    }

    /** GET /ranges/{id} at a fixed rate; latency counted from each request's scheduled time (open model). */
    static void load(Map<String, String> a) throws Exception {
        String id = a.get("id");
        double rate = Double.parseDouble(a.getOrDefault("rate", "200"));
        double seconds = Double.parseDouble(a.getOrDefault("seconds", "20"));
        long timeoutMs = Long.parseLong(a.getOrDefault("timeout-ms", "10000"));
        int total = (int) Math.round(rate * seconds);
        long period = Math.round(1_000_000_000d / rate);
        ConcurrentLinkedQueue<Long> lat = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger timeouts = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>(total);
        HttpRequest req = get("/ranges/" + id).timeout(Duration.ofMillis(timeoutMs)).build();
        // first, one client alone (closed model): what a single GET costs when nothing queues
        List<Long> alone = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long t = System.nanoTime();
            HttpResponse<Void> r = HTTP.send(req, HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 200) {
                alone.add((System.nanoTime() - t) / 1_000_000);
            }
        }
        alone.sort(null);
        out("value api.alone.p50 " + pctAll(alone, 20 - alone.size(), 50, timeoutMs));
        long start = System.nanoTime() + 50_000_000;
        for (int i = 0; i < total; i++) {
            long due = start + i * period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            all.add(HTTP.sendAsync(req, HttpResponse.BodyHandlers.discarding()).handle((r, e) -> {
                long ms = (System.nanoTime() - due) / 1_000_000;
                if (e != null) {
                    if (e instanceof java.net.http.HttpTimeoutException
                            || e.getCause() instanceof java.net.http.HttpTimeoutException) {
                        timeouts.incrementAndGet();
                    } else {
                        errors.incrementAndGet();
                    }
                } else if (r.statusCode() != 200) {
                    errors.incrementAndGet();
                } else {
                    lat.add(ms);
                }
                return null;
            }));
        }
        long sent = System.nanoTime();
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(timeoutMs + 60_000, TimeUnit.MILLISECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(lat);
        sorted.sort(null);
        int failed = errors.get() + timeouts.get();
        out("value api.load.offered " + total);
        out("value api.load.ok " + sorted.size());
        out("value api.load.errors " + errors.get());
        out("value api.load.timeouts " + timeouts.get());
        out("value api.load.send_s " + String.format(Locale.ROOT, "%.1f", (sent - start) / 1e9));
        out("value api.load.elapsed_s " + String.format(Locale.ROOT, "%.1f", elapsed));
        // failures count as slower than every success: the percentiles are of all requests sent
        out("value api.load.p50 " + pctAll(sorted, failed, 50, timeoutMs));
        out("value api.load.p99 " + pctAll(sorted, failed, 99, timeoutMs));
        log(String.format(Locale.ROOT, "load: %d GETs at %.0f/s over %.1f s: %d ok, %d errors, %d timeouts (> %d ms);"
                        + " p50 %s, p99 %s", total, rate, (sent - start) / 1e9, sorted.size(), errors.get(),
                timeouts.get(), timeoutMs, pctAll(sorted, failed, 50, timeoutMs), pctAll(sorted, failed, 99, timeoutMs)));
    }

    static String pctAll(List<Long> okSorted, int failed, double p, long timeoutMs) {
        int n = okSorted.size() + failed;
        if (n == 0) {
            return "-";
        }
        int rank = (int) Math.ceil(p / 100 * n);
        return rank <= okSorted.size() ? String.valueOf(okSorted.get(Math.max(rank, 1) - 1)) : ">" + timeoutMs;
    }

    /** N subscribers on one range's /stream; one VM stop; how long until each sees it. */
    static void fanout(Map<String, String> a) throws Exception {
        String id = a.get("id");
        String vm = a.get("vm");
        int n = Integer.parseInt(a.getOrDefault("subscribers", "500"));
        Pattern vmStatus = Pattern.compile("\"name\":\"" + Pattern.quote(vm) + "\",\"status\":\"([A-Z]+)\"");
        long[] baseVersion = new long[n];
        long[] firstChange = new long[n];
        long[] stopped = new long[n];
        AtomicLong trigger = new AtomicLong(Long.MAX_VALUE);
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch allStopped = new CountDownLatch(n);
        Semaphore opening = new Semaphore(Integer.parseInt(env("BENCH_SSE_OPENING", "16")));
        List<Sse> streams = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            final int k = i;
            baseVersion[k] = -1;
            opening.acquire();
            Sse s = Sse.open(id, (json, at) -> {
                long v = match(VERSION, json).map(Long::parseLong).orElse(-1L);
                if (baseVersion[k] < 0) {
                    baseVersion[k] = v;
                    opening.release();
                    ready.countDown();
                    return;
                }
                if (at < trigger.get()) {
                    baseVersion[k] = v; // a change before the stop was asked for (none expected)
                    return;
                }
                if (firstChange[k] == 0 && v > baseVersion[k]) {
                    firstChange[k] = at;
                }
                if (stopped[k] == 0 && match(vmStatus, json).filter("STOPPED"::equals).isPresent()) {
                    stopped[k] = at;
                    allStopped.countDown();
                }
            }, e -> opening.release());
            streams.add(s);
        }
        if (!ready.await(300, TimeUnit.SECONDS)) {
            log("fanout: only " + (n - ready.getCount()) + " of " + n + " subscribers got the first state");
        }
        long subscribed = (System.nanoTime() - t0) / 1_000_000;
        log("fanout: " + (n - ready.getCount()) + " subscribers on the stream after " + subscribed + " ms");
        Thread.sleep(500);
        trigger.set(System.nanoTime());
        HttpResponse<String> r = HTTP.send(post("/ranges/" + id + "/vms/" + vm + "/stop", ""),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("stop " + vm + ": HTTP " + r.statusCode() + " " + r.body());
        }
        allStopped.await(120, TimeUnit.SECONDS);
        streams.forEach(Sse::close);
        List<Long> change = new ArrayList<>();
        List<Long> stop = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (firstChange[i] != 0) {
                change.add((firstChange[i] - trigger.get()) / 1_000_000);
            }
            if (stopped[i] != 0) {
                stop.add((stopped[i] - trigger.get()) / 1_000_000);
            }
        }
        change.forEach(v -> out("sample api.sse.change " + v));
        stop.forEach(v -> out("sample api.sse.stopped " + v));
        out("value api.sse.subscribers " + n);
        out("value api.sse.subscribe_ms " + subscribed);
        out("value api.sse.missed " + (n - stop.size()));
        log("fanout: " + change.size() + " saw the change, " + stop.size() + " saw " + vm + " STOPPED");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    record Deployed(String id, String status, long ms, long postEpochMs, long seenEpochMs, String dind) {
    }

    static Deployed deployOne(String blueprint, String name) throws Exception {
        long postEpoch = System.currentTimeMillis();
        long t0 = System.nanoTime();
        HttpResponse<String> r = HTTP.send(post("/ranges",
                "{\"blueprintId\":\"" + blueprint + "\",\"name\":\"" + name + "\"}"), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("POST /ranges: HTTP " + r.statusCode() + " " + r.body());
        }
        String id = match(RANGE_ID, r.body()).orElseThrow();
        String[] seen = awaitStatus(id, END_OF_DEPLOY, WAIT_MS);
        long ms = (Long.parseLong(seen[1]) - t0) / 1_000_000;
        long seenEpoch = postEpoch + ms;
        String dind = match(DIND_ID, seen[2] == null ? "" : seen[2]).orElse("-");
        return new Deployed(id, seen[0], ms, postEpoch, seenEpoch, dind);
    }

    /** DELETE, then the time until DESTROYED is seen on the stream. */
    static long destroyOne(String id) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(API + "/ranges/" + id))
                .header("Authorization", AUTH).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("DELETE " + id + ": HTTP " + r.statusCode() + " " + r.body());
        }
        String[] seen = awaitStatus(id, END_OF_DESTROY, WAIT_MS);
        if (!"DESTROYED".equals(seen[0])) {
            throw new IllegalStateException("range " + id + " not DESTROYED: " + seen[0]);
        }
        return (Long.parseLong(seen[1]) - t0) / 1_000_000;
    }

    /** {status, nanoTime seen, json}; status TIMEOUT when none of the wanted states came in time. */
    static String[] awaitStatus(String id, Set<String> wanted, long timeoutMs) throws Exception {
        CompletableFuture<String[]> done = new CompletableFuture<>();
        Sse s = Sse.open(id, (json, at) -> match(STATUS, json).filter(wanted::contains)
                .ifPresent(st -> done.complete(new String[] {st, String.valueOf(at), json})), done::completeExceptionally);
        try {
            return done.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new String[] {"TIMEOUT", String.valueOf(System.nanoTime()), null};
        } finally {
            s.close();
        }
    }

    static boolean poolWait(long timeoutS) throws Exception {
        long deadline = System.nanoTime() + timeoutS * 1_000_000_000L;
        long t0 = System.nanoTime();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = HTTP.send(get("/pool").build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 404) {
                log("no /api/v1/pool in this build");
                System.exit(4);
            }
            long target = match(Pattern.compile("\"target\":(\\d+)"), r.body()).map(Long::parseLong).orElse(-1L);
            long ready = match(Pattern.compile("\"ready\":(\\d+)"), r.body()).map(Long::parseLong).orElse(-2L);
            if (r.statusCode() == 200 && ready >= target && target >= 0) {
                log("pool ready " + ready + "/" + target + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    static List<String[]> events(String id) throws Exception {
        HttpResponse<String> r = HTTP.send(get("/ranges/" + id + "/events").build(), HttpResponse.BodyHandlers.ofString());
        List<String[]> out = new ArrayList<>();
        Matcher m = EVENT.matcher(r.body());
        while (m.find()) {
            out.add(new String[] {m.group(1), m.group(2)});
        }
        return out;
    }

    static String failure(String id) {
        try {
            HttpResponse<String> r = HTTP.send(get("/ranges/" + id).build(), HttpResponse.BodyHandlers.ofString());
            return match(FAILURE, r.body()).orElse("(no failure reason)");
        } catch (Exception e) {
            return e.toString();
        }
    }

    static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(API + path)).header("Authorization", AUTH).GET();
    }

    static HttpRequest post(String path, String json) {
        return HttpRequest.newBuilder(URI.create(API + path)).header("Authorization", AUTH)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    static java.util.Optional<String> match(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    static synchronized void out(String line) {
        System.out.println(line);
    }

    static void log(String msg) {
        System.err.println("[bench] " + msg);
    }

    static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? dflt : v;
    }

    // ------------------------------------------------------------------------------------------------ SSE

    /** One subscription to /ranges/{id}/stream: each "range" event's data, with the nanoTime it arrived. */
    static final class Sse implements Flow.Subscriber<String> {
        interface Handler {
            void event(String json, long nanoTime);
        }

        private final Handler handler;
        private final Consumer<Throwable> onError;
        private final StringBuilder data = new StringBuilder();
        private volatile Flow.Subscription subscription;
        private volatile boolean closed;
        private long firstLineAt;

        private Sse(Handler handler, Consumer<Throwable> onError) {
            this.handler = handler;
            this.onError = onError;
        }

        static Sse open(String id, Handler handler, Consumer<Throwable> onError) {
            Sse s = new Sse(handler, onError);
            HttpRequest req = get("/ranges/" + id + "/stream").header("Accept", "text/event-stream").build();
            HTTP.sendAsync(req, HttpResponse.BodyHandlers.fromLineSubscriber(s)).whenComplete((r, e) -> {
                if (e != null && !s.closed) {
                    onError.accept(e);
                } else if (r != null && r.statusCode() != 200) {
                    onError.accept(new IllegalStateException("stream " + id + ": HTTP " + r.statusCode()));
                }
            });
            return s;
        }

        void close() {
            closed = true;
            Flow.Subscription sub = subscription;
            if (sub != null) {
                sub.cancel();
            }
        }

        @Override
        public void onSubscribe(Flow.Subscription sub) {
            subscription = sub;
            if (closed) {
                sub.cancel();
            } else {
                sub.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(String line) {
            if (line.startsWith("data:")) {
                if (data.length() == 0) {
                    firstLineAt = System.nanoTime();
                }
                data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
            } else if (line.isEmpty() && data.length() > 0) {
                String json = data.toString();
                data.setLength(0);
                if (!closed) {
                    handler.event(json, firstLineAt);
                }
            }
        }

        @Override
        public void onError(Throwable e) {
            if (!closed) {
                onError.accept(e);
            }
        }

        @Override
        public void onComplete() {
            if (!closed) {
                onError.accept(new IOException("stream ended"));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ report

    /** The final table, from the results file of bench.sh. */
    static final class Report {
        final Map<String, List<Double>> samples = new LinkedHashMap<>();
        final Map<String, String> values = new LinkedHashMap<>();
        final List<String[]> rows = new ArrayList<>();
        final List<String> goals = new ArrayList<>();

        static void print(Path file) throws IOException {
            Report r = new Report();
            for (String line : Files.readAllLines(file)) {
                String[] f = line.split(" ", 3);
                if (f.length == 3 && f[0].equals("sample")) {
                    r.samples.computeIfAbsent(f[1], k -> new ArrayList<>()).add(Double.parseDouble(f[2].trim()));
                } else if (f.length == 3 && f[0].equals("value")) {
                    r.values.put(f[1], f[2].trim());
                }
            }
            r.build();
            System.out.print(r.render());
        }

        String v(String key) {
            return values.get(key);
        }

        double num(String key) {
            String s = values.get(key);
            try {
                return s == null ? Double.NaN : Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }

        List<Double> sorted(String series) {
            List<Double> l = new ArrayList<>(samples.getOrDefault(series, List.of()));
            l.sort(null);
            return l;
        }

        static double pct(List<Double> sorted, double p) {
            if (sorted.isEmpty()) {
                return Double.NaN;
            }
            if (p == 50) {
                int n = sorted.size();
                return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
            }
            int rank = (int) Math.ceil(p / 100 * sorted.size());
            return sorted.get(Math.max(rank, 1) - 1);
        }

        double median(String series) {
            return pct(sorted(series), 50);
        }

        static String s(double ms) {
            return Double.isNaN(ms) ? "-" : String.format(Locale.ROOT, "%.2f s", ms / 1000);
        }

        static String mb(double bytes) {
            return Double.isNaN(bytes) ? "-" : String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
        }

        String dist(String series, boolean seconds) {
            List<Double> l = sorted(series);
            if (l.isEmpty()) {
                return null;
            }
            if (seconds) {
                return String.format(Locale.ROOT, "median %s, p95 %s, max %s (n=%d)", s(pct(l, 50)), s(pct(l, 95)),
                        s(l.get(l.size() - 1)), l.size());
            }
            return String.format(Locale.ROOT, "p50 %.0f ms, p99 %.0f ms, max %.0f ms (n=%d)", pct(l, 50), pct(l, 99),
                    l.get(l.size() - 1), l.size());
        }

        static final Map<String, String> STEP_NAMES = new LinkedHashMap<>();

        static {
            STEP_NAMES.put("RangeRequested", "accept");
            STEP_NAMES.put("DinDCreated", "DinD");
            STEP_NAMES.put("NetworkCreated", "networks");
            STEP_NAMES.put("ImagesSeeded", "images");
            STEP_NAMES.put("VmStarted", "VMs");
            STEP_NAMES.put("RangeDeployed", "confirm");
            STEP_NAMES.put("seen", "to client");
        }

        String steps(String prefix) {
            StringBuilder b = new StringBuilder();
            for (String series : samples.keySet()) {
                if (series.startsWith(prefix + ".step.")) {
                    String step = series.substring(prefix.length() + 6);
                    b.append(b.length() == 0 ? "" : "; ").append(STEP_NAMES.getOrDefault(step, step)).append(' ')
                            .append(s(median(series)));
                }
            }
            return b.length() == 0 ? null : b.toString();
        }

        void row(String phase, String what, String value) {
            if (value != null) {
                rows.add(new String[] {phase, what, value});
            }
        }

        void goal(String what, String figures, Boolean pass) {
            goals.add(String.format("%-4s %s: %s", pass == null ? "n/a" : pass ? "PASS" : "MISS", what, figures));
        }

        void build() {
            // deploy and CLI
            row("deploy", "cold, POST -> DEPLOYED on SSE (bench-6vm: 3 networks, 6 VMs)", dist("cold", true));
            row("deploy", "cold, steps (medians)", steps("cold"));
            row("deploy", "warm (pool), POST -> DEPLOYED on SSE", v("warm.na") != null ? v("warm.na") : dist("warm", true));
            row("deploy", "warm, steps (medians)", steps("warm"));
            row("cli", "plain docker CLI script, same deploy", dist("cli", true));
            row("cli", "CLI steps (medians)", steps("cli"));
            double ratio = median("cold") / median("cli");
            if (!Double.isNaN(ratio)) {
                row("cli", "ratio Cyroid cold / CLI (medians)", String.format(Locale.ROOT, "%.2f", ratio));
            }
            // large image
            double t1 = num("large1.total_ms");
            double t10 = num("large10.total_ms");
            double d1 = num("large1.disk_bytes");
            double d10 = num("large10.disk_bytes");
            if (!Double.isNaN(t1)) {
                row("large", "cyroid/vm-large, 1 range: time, disk", s(t1) + ", " + mb(d1) + fails("large1"));
            }
            if (!Double.isNaN(t10)) {
                row("large", "cyroid/vm-large, 10 ranges at once: time, disk", s(t10) + ", " + mb(d10) + fails("large10"));
                row("large", "ratio 10 / 1: time, disk", String.format(Locale.ROOT, "%.2f, %.2f", t10 / t1, d10 / d1));
            }
            row("large", "server configuration", v("large.config"));
            if (v("large.shared_build") != null) {
                row("large", "adding it to the shared images (once, during the first range)", v("large.shared_build"));
            }
            // burst
            if (v("burst.total_ms") != null) {
                row("burst", v("burst.count") + " ranges of corp-lan at once: all DEPLOYED after",
                        s(num("burst.total_ms")) + ", " + v("burst.failed") + " failed");
                row("burst", "each range, POST -> DEPLOYED", dist("burst.each", true));
                row("burst", "peak memory: host engine (dockerd + containerd RSS)", mb(num("burst.peak.engine")));
                row("burst", "peak memory: DinDs (sum of cgroup usage; without page cache)",
                        mb(num("burst.peak.dind_usage")) + "; " + mb(num("burst.peak.dind_ws")));
                row("burst", "peak memory: JVM (RSS)", mb(num("burst.peak.jvm")));
            }
            // density
            if (v("density.held") != null) {
                int held = (int) num("density.held");
                int cap = (int) num("density.cap");
                row("density", "memory per idle range (DinD cgroup usage; without page cache)",
                        mb(num("density.idle_usage")) + "; " + mb(num("density.idle_ws")) + " (over "
                                + v("density.measured") + " ranges, " + v("density.settle_s") + " s settle)");
                row("density", "bench-6vm ranges held (stop at a failure or a deploy > 30 s)",
                        (held >= cap ? ">= " + cap + " (cap)" : held + " (" + v("density.stop") + ")"));
                row("density", "deploy time as the host fills", dist("density.deploy", true));
            }
            // destroy
            row("destroy", "DELETE -> DESTROYED on SSE", dist("cycle.destroy", true));
            if (v("cycle.count") != null) {
                row("destroy", v("cycle.count") + " deploy+destroy cycles: failures, leftover labelled objects",
                        v("cycle.failed") + " failed, " + v("cycle.leftovers") + " left over");
                row("destroy", "deploy time over the cycles", dist("cycle.deploy", true));
                row("destroy", "JVM heap after GC: start -> end", mb(num("cycle.heap_start")) + " -> "
                        + mb(num("cycle.heap_end")));
            }
            // api
            if (v("api.load.offered") != null) {
                row("api", "GET /ranges/{id}, one client alone (20 in a row)", "p50 " + ms(v("api.alone.p50")));
                row("api", "GET /ranges/{id} at " + v("api.rate") + "/s for " + v("api.seconds") + " s (open model)",
                        "p50 " + ms(v("api.load.p50")) + ", p99 " + ms(v("api.load.p99")) + "; "
                                + v("api.load.ok") + " of " + v("api.load.offered") + " ok, " + v("api.load.errors")
                                + " errors, " + v("api.load.timeouts") + " timeouts; sending took "
                                + v("api.load.send_s") + " s");
            }
            if (v("api.sse.subscribers") != null) {
                row("api", v("api.sse.subscribers") + " SSE subscribers, VM stop: first change seen",
                        dist("api.sse.change", false));
                row("api", v("api.sse.subscribers") + " SSE subscribers, VM stop: STOPPED seen (after docker stop's grace)",
                        dist("api.sse.stopped", false) + "; " + v("api.sse.missed") + " missed; subscribing took "
                                + s(num("api.sse.subscribe_ms")));
            }

            // goals
            double cold = median("cold");
            double cli = median("cli");
            if (!Double.isNaN(cold) && !Double.isNaN(cli)) {
                goal("cold median < 0.8 x CLI", s(cold) + " vs " + s(0.8 * cli), cold < 0.8 * cli);
            } else {
                goal("cold median < 0.8 x CLI", "not measured (phases deploy and cli)", null);
            }
            double warm = median("warm");
            goal("warm median < 0.5 s", Double.isNaN(warm) ? (v("warm.na") != null ? v("warm.na") : "not measured")
                    : s(warm), Double.isNaN(warm) ? null : warm < 500);
            if (!Double.isNaN(t10) && !Double.isNaN(t1)) {
                boolean ok = t10 < 2 * t1 && d10 < 2 * d1 && num("large10.failed") == 0;
                goal("large image, 10 ranges < 2 x 1 range in time and disk", String.format(Locale.ROOT,
                        "time %.2f x, disk %.2f x", t10 / t1, d10 / d1), ok);
            } else {
                goal("large image, 10 ranges < 2 x 1 range in time and disk", "not measured", null);
            }
            if (v("burst.total_ms") != null) {
                double bt = num("burst.total_ms");
                boolean full = "30".equals(v("burst.count"));
                goal("30-burst < 60 s, no failure", v("burst.count") + " ranges in " + s(bt) + ", "
                        + v("burst.failed") + " failed" + (full ? "" : " (not 30: indicative only)"),
                        bt < 60000 && num("burst.failed") == 0);
            } else {
                goal("30-burst < 60 s, no failure", "not measured", null);
            }
            double idle = num("density.idle_ws");
            goal("idle range < 80 MB", Double.isNaN(idle) ? "not measured" : mb(idle) + " (cgroup usage without page"
                    + " cache; " + mb(num("density.idle_usage")) + " with it)", Double.isNaN(idle) ? null : idle < 80e6);
        }

        static String ms(String v) {
            return v == null ? "-" : v.startsWith(">") ? v + " ms (timeouts)" : v + " ms";
        }

        String fails(String key) {
            String f = v(key + ".failed");
            return f == null || f.equals("0") ? "" : " (" + f + " failed)";
        }

        String render() {
            StringBuilder b = new StringBuilder();
            b.append("# Cyroid benchmark (scripts/bench.sh)\n\n");
            b.append(String.format("%s; %s cores, %s memory; Docker engine %s (%s); DinD mode %s; load average at"
                            + " start %s; phases %s\n\n", v("machine.date"), v("machine.cores"), v("machine.memory"),
                    v("machine.engine"), v("machine.storage"), v("machine.mode"), v("machine.load"), v("phases")));
            int w1 = 7;
            int w2 = 11;
            for (String[] r : rows) {
                w1 = Math.max(w1, r[0].length());
                w2 = Math.max(w2, r[1].length());
            }
            String fmt = "| %-" + w1 + "s | %-" + w2 + "s | %s |\n";
            b.append(String.format(fmt, "phase", "measurement", "value"));
            b.append("| ").append("-".repeat(w1)).append(" | ").append("-".repeat(w2)).append(" | --- |\n");
            for (String[] r : rows) {
                b.append(String.format(fmt, r[0], r[1], r[2].replace("|", "/")));
            }
            b.append("\nGoals:\n\n");
            for (String g : goals) {
                b.append("- ").append(g).append('\n');
            }
            return b.toString();
        }
    }
}
