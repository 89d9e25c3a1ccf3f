package io.cyroid.blueprint;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a blueprint before anything is provisioned, so a bad one fails in the request and not halfway through
 * a deployment. Reports every violation, in document order, so the instructor can fix everything in one round.
 * <p>
 * Every name and value the engine will see is held to the engine's own rules (container and network names,
 * reserved networks, hostnames, image references, environment and command as runc and the kernel take them), to
 * measured minimums (the smallest memory and CPU share a range's DinD runs with) and to configurable maximums
 * ({@link BlueprintLimits}). The aim: a blueprint accepted here never fails at a Docker step for a reason that
 * could be known from the blueprint alone. What the blueprint cannot tell (is the image on the host, does the host
 * have the memory) is checked elsewhere.
 * <p>
 * The input may come from hostile JSON: every list, element and field may be null, and nothing here throws.
 * A field that is itself invalid is not used for dependent checks (e.g. a VM address is not checked against a
 * broken subnet), which keeps one typo from producing a cascade of confusing follow-up violations.
 * Stateless and thread-safe.
 */
public final class BlueprintValidator {

    /** Docker's character rule for names (networks, the blueprint); 63 keeps names usable as DNS labels in the range. */
    static final Pattern DOCKER_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    /**
     * Docker's rule for container names (a VM's name is its container's name): the daemon refuses anything else with
     * "Invalid container name", a single character included.
     */
    static final Pattern CONTAINER_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    static final int MAX_NAME_LENGTH = 63;
    /** RFC 1123 label: what Docker accepts as a container hostname without surprises. */
    static final Pattern HOSTNAME = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?");
    static final Pattern MEMORY = Pattern.compile("[0-9]+(\\.[0-9]+)?[bkmgBKMG]?");
    private static final long MIB = 1024L * 1024;
    /**
     * Smallest memory of a range with one VM. Measured with scripts/measure-dind-minimums.sh (DinD started as
     * DockerRangeEngine starts it, one busybox VM, three trials each): at 64m, 72m and 80m the inner engine was
     * OOM-killed while starting the VM; from 88m up everything ran, peaking at 82-87 MiB. 128m leaves about 40 MiB
     * of margin over that peak.
     */
    public static final long MIN_MEMORY_BYTES = 128 * MIB;
    /**
     * Memory each further VM adds to the minimum. Measured: an idle busybox VM costs its DinD about 4 MiB
     * (1 VM peaked at 85 MiB, 40 at 243 MiB, 50 at 281 MiB); at 128m the inner engine died at the 13th or 14th VM.
     * Twice the measured cost, since a VM that runs anything needs more.
     */
    public static final long MEMORY_PER_VM_BYTES = 8 * MIB;
    /**
     * Memory per byte of env and command (counted as for {@link #MAX_EXEC_BYTES}, summed over the VMs): the engine
     * copies a VM's config several times over while creating and starting it. Measured with
     * scripts/measure-dind-minimums.sh ... max, the largest env and command one VM may have (1 MiB): the peak rose from
     * 85 MiB to 122-140 MiB; at 128m the range ran at its limit, and in one of two runs through DockerRangeEngine the
     * inner engine stopped answering while starting that VM. 256 KiB added 14 MiB; three 1 MiB VMs peaked at
     * 158-163 MiB. 64 covers the largest ratio seen (56); at the 188m this gives, three trials ran. The first {@link #EXEC_BYTES_INCLUDED} of each VM are covered by the base minimums.
     */
    public static final long MEMORY_PER_EXEC_BYTE = 64;
    /** Env and command bytes per VM that the base minimums already cover (64 KiB would cost about 3.5 MiB). */
    public static final long EXEC_BYTES_INCLUDED = 64 * 1024;
    /**
     * Smallest CPU share. Docker refuses less than 0.01 (the kernel's 1 ms CFS quota per 100 ms period); measured
     * time until a DinD's inner engine answered: 0.01 CPUs 41-50 s (against the 60 s DIND_STARTUP_TIMEOUT), 0.02
     * 23-27 s, 0.05 9 s, 0.1 3-4 s, 0.25 1.8 s. 0.1 is twice the smallest share that answered well inside the timeout.
     */
    public static final double MIN_CPUS = 0.1;
    static final double MAX_CPUS = 1024;
    /**
     * Docker refuses to create networks of these names (403 "operation is not permitted on predefined network":
     * bridge, host, none, default), and "container" is read as the container network mode. Compared
     * case-insensitively: "Host" is legal to Docker but asks for confusion.
     */
    static final Set<String> RESERVED_NETWORKS = Set.of("bridge", "host", "none", "default", "container");
    /**
     * The kernel's limit for ONE argument or environment string ("KEY=value") passed to execve: MAX_ARG_STRLEN,
     * 32 pages = 131072 bytes including the terminating NUL, so 131071 bytes of text. Measured in a range: an env
     * value of 131069 bytes ("A=" + value = 131071) runs, 131070 does not ("argument list too long").
     */
    public static final int MAX_ARG_BYTES = 131_071;
    /**
     * Budget for a VM's environment and command together, counted as the kernel counts them: each string's bytes,
     * its NUL and an 8-byte pointer. The kernel allows a quarter of the stack limit (ARG_MAX: 2 MiB with the usual
     * 8 MiB stack, as measured in a range: 16 values of 130000 bytes ran, 20 did not); half of it stays free for the
     * image's own environment (PATH, HOSTNAME, ...) and a default command.
     */
    public static final int MAX_EXEC_BYTES = 1024 * 1024;
    private static final int MAX_ENV_KEY_IN_FIELD = 128;

    // Docker reference grammar (distribution/reference), restricted to what a range needs: [domain/]path[:tag][@sha256:hex].
    private static final String DOMAIN_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = DOMAIN_PART + "(?:\\." + DOMAIN_PART + ")*(?::[0-9]+)?";
    private static final String PATH_PART = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    static final Pattern IMAGE = Pattern.compile("(?:" + DOMAIN + "/)?" + PATH_PART + "(?:/" + PATH_PART + ")*"
            + "(?::[\\w][\\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?");
    /** Name (255) + tag + digest; longer input is refused before the regex sees it. */
    private static final int MAX_IMAGE_LENGTH = 512;

    private final BlueprintLimits limits;
    private final ReservedSubnets reserved;

    /** A validator with the laptop defaults of {@link BlueprintLimits#DEFAULTS}. */
    public BlueprintValidator() {
        this(BlueprintLimits.DEFAULTS);
    }

    /** With the default management subnets ({@link ReservedSubnets#DEFAULTS}). */
    public BlueprintValidator(BlueprintLimits limits) {
        this(limits, ReservedSubnets.DEFAULTS);
    }

    /** With this server's management subnets, which blueprint networks may not overlap. */
    public BlueprintValidator(BlueprintLimits limits, ReservedSubnets reserved) {
        this.limits = limits == null ? BlueprintLimits.DEFAULTS : limits;
        this.reserved = reserved == null ? ReservedSubnets.DEFAULTS : reserved;
    }

    public ReservedSubnets reserved() {
        return reserved;
    }

    public BlueprintLimits limits() {
        return limits;
    }

    public List<Violation> validate(Blueprint blueprint) {
        if (blueprint == null) {
            return List.of(new Violation("body", "blueprint is required"));
        }
        return new Run(blueprint, limits, reserved).check();
    }

    /** Smallest memory a range with this many VMs, with small env and command, is accepted with. */
    public static long minMemoryBytes(int vms) {
        return minMemoryBytes(vms, 0);
    }

    /**
     * Smallest memory a range is accepted with: {@link #MIN_MEMORY_BYTES}, {@link #MEMORY_PER_VM_BYTES} for each VM
     * after the first, and {@link #MEMORY_PER_EXEC_BYTE} for each byte of env and command beyond the
     * {@link #EXEC_BYTES_INCLUDED} of each VM (counted as for {@link #MAX_EXEC_BYTES}, summed over the VMs);
     * rounded up to whole MiB.
     */
    public static long minMemoryBytes(int vms, long extraExecBytes) {
        long bytes = MIN_MEMORY_BYTES + MEMORY_PER_VM_BYTES * Math.max(0, vms - 1)
                + MEMORY_PER_EXEC_BYTE * Math.max(0, extraExecBytes);
        return (bytes + MIB - 1) / MIB * MIB;
    }

    /** The smallest memory this blueprint is accepted with (its VMs, and their env and command). */
    public static long minMemoryBytes(Blueprint blueprint) {
        List<VmSpec> vms = blueprint == null ? List.of() : list(blueprint.vms());
        long extra = 0;
        for (VmSpec vm : vms) {
            extra += extraExecBytes(execBytes(vm));
        }
        return minMemoryBytes((int) vms.stream().filter(v -> v != null).count(), extra);
    }

    /** What a VM's env and command of {@code execBytes} add to the extra bytes of the memory minimum. */
    static long extraExecBytes(long execBytes) {
        return Math.max(0, execBytes - EXEC_BYTES_INCLUDED);
    }

    /**
     * What a VM's env and command take of execve's budget ({@link #MAX_EXEC_BYTES}): each "KEY=value" and each
     * argument in UTF-8, with its terminating NUL and its 8-byte pointer.
     */
    public static long execBytes(VmSpec vm) {
        if (vm == null) {
            return 0;
        }
        long cost = 0;
        if (vm.env() != null) {
            for (Map.Entry<String, String> e : vm.env().entrySet()) {
                cost += execCost((e.getKey() == null ? 0 : utf8Length(e.getKey())) + 1
                        + (e.getValue() == null ? 0 : utf8Length(e.getValue())));
            }
        }
        for (String arg : list(vm.command())) {
            cost += arg == null ? 0 : execCost(utf8Length(arg));
        }
        return cost;
    }

    /**
     * Bytes for Docker's memory notation: no suffix or {@code b} = bytes, {@code k}/{@code m}/{@code g} = binary
     * multiples (case-insensitive), decimals allowed ("1.5g"), fractions of a byte rounded down.
     *
     * @throws IllegalArgumentException if the text is not in that notation or does not fit in a long
     */
    public static long parseMemoryBytes(String text) {
        if (text == null || !MEMORY.matcher(text).matches()) {
            throw new IllegalArgumentException("memory must be a number with an optional unit b, k, m or g, e.g. 512m or 2g");
        }
        char unit = Character.toLowerCase(text.charAt(text.length() - 1));
        long multiplier = switch (unit) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1L;
        };
        String number = Character.isDigit(unit) ? text : text.substring(0, text.length() - 1);
        try {
            return new BigDecimal(number).multiply(BigDecimal.valueOf(multiplier))
                    .setScale(0, RoundingMode.FLOOR).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("memory " + quote(text) + " is too large");
        }
    }

    /**
     * Quotes user input for a message, truncated so hostile megabyte strings do not end up in logs and responses,
     * with control characters (NUL, newlines) written as escapes so the message stays one readable line.
     */
    static String quote(String value) {
        String cut = value.length() > 64 ? value.substring(0, 64) : value;
        StringBuilder sb = new StringBuilder(cut.length() + 8).append('\'');
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            switch (c) {
                case '\0' -> sb.append("\\0");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append(value.length() > 64 ? "...'" : "'").toString();
    }

    /** Bytes of the text in UTF-8, what the kernel counts; without building the byte array. */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** What one string costs in execve's budget: its bytes, its terminating NUL and its pointer. */
    private static long execCost(long bytes) {
        return bytes + 1 + Long.BYTES;
    }

    private static String mib(long bytes) {
        return bytes % MIB == 0 ? bytes / MIB + "m" : bytes + " bytes";
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** The records normalise null lists today; stay safe should that ever change. */
    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }

    /** What the VM checks need to know about a network, with null for parts that were invalid. */
    private record Net(int index, String name, Ipv4Cidr subnet, Long gateway) {
    }

    /** One VM interface address, collected up front so network checks can see clashes with VM addresses. */
    private record Address(String vmName, String field, String network, long ip) {
    }

    /** State of one validation; keeps the checks below free of long parameter lists. */
    private static final class Run {
        private final Blueprint bp;
        private final BlueprintLimits limits;
        private final ReservedSubnets reserved;
        private final List<Violation> out = new ArrayList<>();
        /** First network of each name; later duplicates are reported and otherwise ignored. */
        private final Map<String, Net> nets = new LinkedHashMap<>();
        private final List<Address> addresses = new ArrayList<>();
        /** Env and command of all VMs beyond what the base minimums cover, as execve counts them. */
        private long extraExecBytes;

        Run(Blueprint bp, BlueprintLimits limits, ReservedSubnets reserved) {
            this.bp = bp;
            this.limits = limits;
            this.reserved = reserved;
        }

        List<Violation> check() {
            name("name", bp.name(), "blueprint name");
            collectAddresses();
            networks();
            vms();
            resources(bp.resources());
            return List.copyOf(out);
        }

        private void add(String field, String message) {
            out.add(new Violation(field, message));
        }

        private boolean name(String field, String value, String what) {
            if (isBlank(value)) {
                add(field, what + " is required");
            } else if (value.length() > MAX_NAME_LENGTH) {
                add(field, what + " must be at most " + MAX_NAME_LENGTH + " characters");
            } else if (!DOCKER_NAME.matcher(value).matches()) {
                add(field, what + " " + quote(value) + " must start with a letter or digit and contain only letters, digits, '_', '.' and '-'");
            } else {
                return true;
            }
            return false;
        }

        /** A VM's name is its container's name in the range: Docker's container-name rule. */
        private boolean vmName(String field, String value) {
            if (!name(field, value, "VM name")) {
                return false;
            }
            if (!CONTAINER_NAME.matcher(value).matches()) {
                add(field, "VM name " + quote(value) + " must be at least 2 characters: Docker refuses shorter"
                        + " container names");
                return false;
            }
            return true;
        }

        private void collectAddresses() {
            List<VmSpec> vms = list(bp.vms());
            for (int i = 0; i < vms.size(); i++) {
                VmSpec vm = vms.get(i);
                List<InterfaceSpec> ifaces = vm == null ? List.of() : list(vm.interfaces());
                for (int k = 0; k < ifaces.size(); k++) {
                    InterfaceSpec ifc = ifaces.get(k);
                    if (ifc != null && ifc.network() != null && Ipv4Cidr.isAddress(ifc.ip())) {
                        addresses.add(new Address(vm.name(), "vms[" + i + "].interfaces[" + k + "].ip", ifc.network(),
                                Ipv4Cidr.parseAddress(ifc.ip())));
                    }
                }
            }
        }

        private void networks() {
            List<NetworkSpec> networks = list(bp.networks());
            if (networks.isEmpty()) {
                add("networks", "at least one network is required");
            } else if (networks.size() > limits.maxNetworks()) {
                add("networks", "at most " + limits.maxNetworks() + " networks are allowed per blueprint on this"
                        + " server; this one has " + networks.size());
            }
            for (int j = 0; j < networks.size(); j++) {
                String f = "networks[" + j + "]";
                NetworkSpec n = networks.get(j);
                if (n == null) {
                    add(f, "network must not be null");
                    continue;
                }
                boolean canonical = networkName(f + ".name", n.name());
                Ipv4Cidr subnet = subnet(f + ".subnet", n.subnet());
                Long gateway = gateway(f + ".gateway", n, subnet, canonical);
                if (canonical) {
                    nets.put(n.name(), new Net(j, n.name(), subnet, gateway));
                }
            }
        }

        /** True if the name is valid and first of its kind, i.e. VM interfaces naming it refer to this network. */
        private boolean networkName(String field, String value) {
            if (!name(field, value, "network name")) {
                return false;
            }
            if (RESERVED_NETWORKS.contains(value.toLowerCase(Locale.ROOT))) {
                add(field, "network name " + quote(value) + " is reserved by Docker (bridge, host, none, default,"
                        + " container)");
                return false;
            }
            Net first = nets.get(value);
            if (first != null) {
                add(field, "duplicate network name " + quote(value) + " (also networks[" + first.index() + "])");
                return false;
            }
            return true;
        }

        private Ipv4Cidr subnet(String field, String value) {
            if (isBlank(value)) {
                add(field, "subnet is required");
                return null;
            }
            Ipv4Cidr cidr;
            try {
                cidr = Ipv4Cidr.parse(value);
            } catch (IllegalArgumentException e) {
                add(field, "subnet " + quote(value) + ": " + e.getMessage());
                return null;
            }
            // /31 and /32 leave no address for both a gateway and a VM; below /8 is surely a typo and too big to manage.
            if (cidr.prefix() < 8 || cidr.prefix() > 30) {
                add(field, "subnet prefix /" + cidr.prefix() + " must be between /8 and /30");
                return null;
            }
            if (cidr.hasHostBits()) {
                add(field, "subnet " + quote(value) + " has host bits set; did you mean " + cidr.normalized() + "?");
                return null;
            }
            Optional<String> clash = reserved.clash(cidr);
            if (clash.isPresent()) {
                add(field, clash.get());
                return null;
            }
            for (Net other : nets.values()) {
                if (other.subnet() != null && other.subnet().overlaps(cidr)) {
                    add(field, "subnet " + cidr + " overlaps " + other.subnet() + " of network " + quote(other.name())
                            + " (networks[" + other.index() + "])");
                }
            }
            return cidr;
        }

        private Long gateway(String field, NetworkSpec n, Ipv4Cidr subnet, boolean canonical) {
            String value = n.gateway();
            if (isBlank(value)) {
                add(field, "gateway is required");
                return null;
            }
            long gw;
            try {
                gw = Ipv4Cidr.parseAddress(value);
            } catch (IllegalArgumentException e) {
                add(field, "gateway " + quote(value) + ": " + e.getMessage());
                return null;
            }
            if (subnet != null) {
                String where = where(gw, subnet);
                if (where != null) {
                    add(field, "gateway " + value + " " + where);
                    return null;
                }
            }
            // Only the canonical network of a name is what VM interfaces attach to; duplicates were reported already.
            if (canonical) {
                for (Address a : addresses) {
                    if (a.network().equals(n.name()) && a.ip() == gw) {
                        add(field, "gateway " + value + " is also the address of VM " + quote(String.valueOf(a.vmName()))
                                + " (" + a.field() + ")");
                    }
                }
            }
            return gw;
        }

        /** Why an address cannot be used as a host or gateway address of the subnet, or null if it can. */
        private static String where(long ip, Ipv4Cidr subnet) {
            if (!subnet.contains(ip)) {
                return "is outside subnet " + subnet;
            }
            if (ip == subnet.networkAddress()) {
                return "is the network address of " + subnet;
            }
            if (ip == subnet.broadcastAddress()) {
                return "is the broadcast address of " + subnet;
            }
            return null;
        }

        private void vms() {
            List<VmSpec> vms = list(bp.vms());
            if (vms.isEmpty()) {
                add("vms", "at least one VM is required");
            } else if (vms.size() > limits.maxVms()) {
                add("vms", "at most " + limits.maxVms() + " VMs are allowed per blueprint on this server; this one has "
                        + vms.size());
            }
            Map<String, Integer> vmNames = new HashMap<>();
            // network name -> address -> "VM 'x' (field)" of its first use, to name the other VM on a clash
            Map<String, Map<Long, String>> used = new HashMap<>();
            for (int i = 0; i < vms.size(); i++) {
                String f = "vms[" + i + "]";
                VmSpec vm = vms.get(i);
                if (vm == null) {
                    add(f, "VM must not be null");
                    continue;
                }
                if (vmName(f + ".name", vm.name())) {
                    Integer first = vmNames.putIfAbsent(vm.name(), i);
                    if (first != null) {
                        add(f + ".name", "duplicate VM name " + quote(vm.name()) + " (also vms[" + first + "])");
                    }
                }
                image(f + ".image", vm.image());
                if (vm.hostname() != null && !HOSTNAME.matcher(vm.hostname()).matches()) {
                    add(f + ".hostname", "hostname " + quote(vm.hostname())
                            + " must be 1-63 letters, digits or '-', not starting or ending with '-'");
                }
                interfaces(f, vm, used);
                routes(f, vm);
                console(f + ".console", vm.console());
                env(f + ".env", vm.env());
                command(f + ".command", vm.command());
                long vmExecBytes = execBytes(vm);
                extraExecBytes += extraExecBytes(vmExecBytes);
                if (vmExecBytes > MAX_EXEC_BYTES) {
                    add(vm.env() == null || vm.env().isEmpty() ? f + ".command" : f + ".env", "env and command"
                            + " together take " + vmExecBytes + " bytes (with a NUL and an 8-byte pointer per string);"
                            + " the limit is " + MAX_EXEC_BYTES + ", half of what the kernel passes to a process");
                }
            }
        }

        /** Checks a command; empty means the image's default command. */
        private void command(String field, List<String> command) {
            command = list(command);
            for (int c = 0; c < command.size(); c++) {
                String fc = field + "[" + c + "]";
                String arg = command.get(c);
                if (arg == null) {
                    add(fc, "command entries must not be null");
                    continue;
                }
                long bytes = utf8Length(arg);
                if (c == 0 && arg.isBlank()) {
                    add(fc, "the program to run must not be empty (leave out command to use the image's default)");
                } else if (arg.indexOf('\0') >= 0) {
                    add(fc, "command entries must not contain NUL characters");
                } else if (bytes > MAX_ARG_BYTES) {
                    add(fc, "command entry is " + bytes + " bytes; the kernel takes at most " + MAX_ARG_BYTES);
                }
            }
        }

        private void image(String field, String value) {
            if (isBlank(value)) {
                add(field, "image is required");
            } else if (value.chars().anyMatch(Character::isWhitespace)) {
                add(field, "image " + quote(value) + " must not contain whitespace");
            } else if (value.length() > MAX_IMAGE_LENGTH || !IMAGE.matcher(value).matches()) {
                boolean caseOnly = value.length() <= MAX_IMAGE_LENGTH && IMAGE.matcher(value.toLowerCase(Locale.ROOT)).matches();
                add(field, "image " + quote(value) + (caseOnly
                        ? " must use a lowercase repository name"
                        : " is not a valid Docker image reference (e.g. alpine:3.20, cyroid/vm-busybox:latest, name@sha256:<64 hex>)"));
            }
        }

        private void interfaces(String f, VmSpec vm, Map<String, Map<Long, String>> used) {
            List<InterfaceSpec> ifaces = list(vm.interfaces());
            if (ifaces.isEmpty()) {
                add(f + ".interfaces", "a VM needs at least one interface");
            }
            if (ifaces.size() > limits.maxInterfacesPerVm()) {
                add(f + ".interfaces", "at most " + limits.maxInterfacesPerVm() + " interfaces are allowed per VM on"
                        + " this server; this VM has " + ifaces.size());
            }
            Map<String, Integer> attached = new HashMap<>();
            for (int k = 0; k < ifaces.size(); k++) {
                String fi = f + ".interfaces[" + k + "]";
                InterfaceSpec ifc = ifaces.get(k);
                if (ifc == null) {
                    add(fi, "interface must not be null");
                    continue;
                }
                Net net = null;
                if (isBlank(ifc.network())) {
                    add(fi + ".network", "network is required");
                } else if ((net = nets.get(ifc.network())) == null) {
                    add(fi + ".network", "unknown network " + quote(ifc.network()) + knownNetworks());
                } else {
                    Integer first = attached.putIfAbsent(ifc.network(), k);
                    if (first != null) {
                        add(fi + ".network", "VM already attaches to network " + quote(ifc.network())
                                + " (" + f + ".interfaces[" + first + "])");
                        net = null; // the address on a duplicate attachment would only add noise
                    }
                }
                ip(fi + ".ip", ifc.ip(), net, "VM " + quote(String.valueOf(vm.name())) + " (" + fi + ".ip)", used);
            }
        }

        /** A graphical console: absent is fine (terminal only); else a known type and a TCP port. */
        private void console(String f, ConsoleSpec console) {
            if (console == null) {
                return;
            }
            if (!console.isVnc()) {
                add(f + ".type", console.type() == null ? "console type is required: vnc"
                        : "console type " + quote(console.type()) + " is not supported: vnc is");
            }
            if (console.port() < 1 || console.port() > 65535) {
                add(f + ".port", "port " + console.port() + " must be from 1 to 65535");
            }
        }

        /** The VM's routes against the networks it is attached to (see {@link RouteRules}). */
        private void routes(String f, VmSpec vm) {
            List<RouteRules.Attached> attached = new ArrayList<>();
            for (InterfaceSpec ifc : list(vm.interfaces())) {
                Net net = ifc == null || ifc.network() == null ? null : nets.get(ifc.network());
                if (net != null) {
                    NetworkSpec spec = bp.networks().get(net.index());
                    Long own = Ipv4Cidr.isAddress(ifc.ip()) ? Ipv4Cidr.parseAddress(ifc.ip()) : null;
                    attached.add(new RouteRules.Attached(net.name(), net.subnet(), net.gateway(), spec.leavesRange(),
                            own));
                }
            }
            out.addAll(RouteRules.check(f, vm.routes(), attached));
        }

        private String knownNetworks() {
            return nets.isEmpty() ? "" : " (known: " + String.join(", ", nets.keySet()) + ")";
        }

        private void ip(String field, String value, Net net, String user, Map<String, Map<Long, String>> used) {
            if (isBlank(value)) {
                add(field, "ip is required");
                return;
            }
            long ip;
            try {
                ip = Ipv4Cidr.parseAddress(value);
            } catch (IllegalArgumentException e) {
                add(field, "ip " + quote(value) + ": " + e.getMessage());
                return;
            }
            if (net == null) {
                return;
            }
            String where = net.subnet() == null ? null : where(ip, net.subnet());
            if (where != null) {
                add(field, "ip " + value + " " + where + " of network " + quote(net.name()));
            } else if (net.gateway() != null && net.gateway() == ip) {
                add(field, "ip " + value + " is the gateway of network " + quote(net.name())
                        + " (networks[" + net.index() + "].gateway)");
            } else {
                String first = used.computeIfAbsent(net.name(), x -> new HashMap<>()).putIfAbsent(ip, user);
                if (first != null) {
                    add(field, "ip " + value + " is already used on network " + quote(net.name()) + " by " + first);
                }
            }
        }

        /**
         * Keys as Docker and shells can use them: not blank, no '=', no whitespace or control characters (runc refuses
         * NUL); values without NUL (runc refuses it); "KEY=value" within the kernel's limit for one string.
         */
        private void env(String field, Map<String, String> env) {
            if (env == null) {
                return;
            }
            if (env.size() > limits.maxEnvPerVm()) {
                add(field, "at most " + limits.maxEnvPerVm() + " environment entries are allowed per VM on this"
                        + " server; this one has " + env.size() + " (BLUEPRINT_MAX_ENV)");
                return;
            }
            // Sorted keys: Map.copyOf has no stable iteration order, and violations must come out in a stable order.
            List<String> keys = new ArrayList<>(env.keySet());
            keys.sort(Comparator.nullsFirst(Comparator.naturalOrder()));
            for (String key : keys) {
                String value = env.get(key);
                long bytes = (key == null ? 0 : utf8Length(key)) + 1 + (value == null ? 0 : utf8Length(value));
                boolean validKey = false;
                if (isBlank(key)) {
                    add(field, "env keys must not be blank");
                } else if (key.indexOf('=') >= 0) {
                    add(field, "env key " + quote(key) + " must not contain '='");
                } else if (key.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)
                        || Character.isSpaceChar(c))) {
                    add(field, "env key " + quote(key) + " must not contain whitespace, newlines or control"
                            + " characters such as NUL");
                } else {
                    validKey = true;
                }
                // the key names the field when it can (as the parser does: vms[0].env.ROLE), unless it is absurdly long
                String fv = validKey && key.length() <= MAX_ENV_KEY_IN_FIELD ? field + "." + key : field;
                if (value == null) {
                    add(fv, "env values must not be null");
                } else if (value.indexOf('\0') >= 0) {
                    add(fv, "env value" + (validKey ? " of " + quote(key) : "") + " must not contain NUL characters");
                } else if (bytes > MAX_ARG_BYTES) {
                    add(fv, "env entry " + (validKey ? quote(key) + " " : "") + "is " + bytes + " bytes as KEY=value;"
                            + " the kernel takes at most " + MAX_ARG_BYTES);
                }
            }
        }

        private void resources(ResourceSpec r) {
            if (r == null) {
                return;
            }
            if (r.memory() != null) {
                try {
                    int vms = (int) list(bp.vms()).stream().filter(v -> v != null).count();
                    long min = minMemoryBytes(vms, extraExecBytes);
                    if (parseMemoryBytes(r.memory()) < min) {
                        add("resources.memory", "memory " + quote(r.memory()) + " is below the minimum of " + mib(min)
                                + " for this range: " + mib(MIN_MEMORY_BYTES) + " (its own Docker engine needs about"
                                + " 90m), plus " + mib(MEMORY_PER_VM_BYTES) + " for each VM after the first (" + vms
                                + (vms == 1 ? " VM)" : " VMs)") + (extraExecBytes == 0 ? "" : ", plus " + MEMORY_PER_EXEC_BYTE + " bytes for each"
                                + " byte of env and command beyond 64 KiB per VM (" + extraExecBytes + " bytes)"));
                    }
                } catch (IllegalArgumentException e) {
                    add("resources.memory", e.getMessage());
                }
            }
            Double cpus = r.cpus();
            // Written as a negation so NaN fails too.
            if (cpus != null && !(cpus >= MIN_CPUS && cpus <= MAX_CPUS)) {
                add("resources.cpus", "cpus must be at least " + MIN_CPUS + " (below it a range's Docker engine"
                        + " starts too slowly) and at most 1024");
            }
        }
    }
}
