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
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a blueprint before anything is provisioned, so a bad one fails in the request and not halfway through
 * a deployment. Reports every violation, in document order, so the instructor can fix everything in one round.
 * <p>
 * The input may come from hostile JSON: every list, element and field may be null, and nothing here throws.
 * A field that is itself invalid is not used for dependent checks (e.g. a VM address is not checked against a
 * broken subnet), which keeps one typo from producing a cascade of confusing follow-up violations.
 * Stateless and thread-safe.
 */
public final class BlueprintValidator {

    /** Docker's rule for container and network names; 63 keeps names usable as DNS labels inside the range. */
    static final Pattern DOCKER_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    static final int MAX_NAME_LENGTH = 63;
    /** RFC 1123 label: what Docker accepts as a container hostname without surprises. */
    static final Pattern HOSTNAME = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?");
    static final Pattern MEMORY = Pattern.compile("[0-9]+(\\.[0-9]+)?[bkmgBKMG]?");
    /** A range hosts a whole Docker engine plus its VMs; below 64 MiB it cannot do anything useful. */
    public static final long MIN_MEMORY_BYTES = 64L * 1024 * 1024;
    static final double MAX_CPUS = 1024;
    /** Docker owns these networks; creating a network with such a name fails or, worse, attaches to the host. */
    static final Set<String> PREDEFINED_NETWORKS = Set.of("bridge", "host", "none");

    // Docker reference grammar (distribution/reference), restricted to what a range needs: [domain/]path[:tag][@sha256:hex].
    private static final String DOMAIN_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = DOMAIN_PART + "(?:\\." + DOMAIN_PART + ")*(?::[0-9]+)?";
    private static final String PATH_PART = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    static final Pattern IMAGE = Pattern.compile("(?:" + DOMAIN + "/)?" + PATH_PART + "(?:/" + PATH_PART + ")*"
            + "(?::[\\w][\\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?");
    /** Name (255) + tag + digest; longer input is refused before the regex sees it. */
    private static final int MAX_IMAGE_LENGTH = 512;

    public List<Violation> validate(Blueprint blueprint) {
        if (blueprint == null) {
            return List.of(new Violation("body", "blueprint is required"));
        }
        return new Run(blueprint).check();
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

    /** Quotes user input for a message, truncated so hostile megabyte strings do not end up in logs and responses. */
    static String quote(String value) {
        return "'" + (value.length() > 64 ? value.substring(0, 64) + "..." : value) + "'";
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
        private final List<Violation> out = new ArrayList<>();
        /** First network of each name; later duplicates are reported and otherwise ignored. */
        private final Map<String, Net> nets = new LinkedHashMap<>();
        private final List<Address> addresses = new ArrayList<>();

        Run(Blueprint bp) {
            this.bp = bp;
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
            if (PREDEFINED_NETWORKS.contains(value.toLowerCase(Locale.ROOT))) {
                add(field, "network name " + quote(value) + " is reserved by Docker (bridge, host, none)");
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
                if (name(f + ".name", vm.name(), "VM name")) {
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
                env(f + ".env", vm.env());
                List<String> command = list(vm.command());
                for (int c = 0; c < command.size(); c++) {
                    if (command.get(c) == null) {
                        add(f + ".command[" + c + "]", "command entries must not be null");
                    }
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

        private void env(String field, Map<String, String> env) {
            if (env == null) {
                return;
            }
            // Sorted keys: Map.copyOf has no stable iteration order, and violations must come out in a stable order.
            List<String> keys = new ArrayList<>(env.keySet());
            keys.sort(Comparator.nullsFirst(Comparator.naturalOrder()));
            for (String key : keys) {
                if (isBlank(key)) {
                    add(field, "env keys must not be blank");
                } else if (key.indexOf('=') >= 0) {
                    add(field, "env key " + quote(key) + " must not contain '='");
                }
            }
        }

        private void resources(ResourceSpec r) {
            if (r == null) {
                return;
            }
            if (r.memory() != null) {
                try {
                    if (parseMemoryBytes(r.memory()) < MIN_MEMORY_BYTES) {
                        add("resources.memory", "memory " + quote(r.memory()) + " is below the minimum of 64m");
                    }
                } catch (IllegalArgumentException e) {
                    add("resources.memory", e.getMessage());
                }
            }
            Double cpus = r.cpus();
            // Written as a negation so NaN fails too.
            if (cpus != null && !(cpus > 0 && cpus <= MAX_CPUS)) {
                add("resources.cpus", "cpus must be greater than 0 and at most 1024");
            }
        }
    }
}
