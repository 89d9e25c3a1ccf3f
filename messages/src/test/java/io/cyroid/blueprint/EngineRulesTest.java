package io.cyroid.blueprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Validation mirrors the engine: every blueprint below used to pass validation and then fail at a Docker step
 * (measured on the real engine), or is the edge of what the engine takes and must pass. The real-engine proof that
 * the edge deploys is DockerRangeEngineIT in saga-provisioning.
 */
class EngineRulesTest {

    static final String IMAGE = "cyroid/vm-busybox:latest";
    static final NetworkSpec LAN = new NetworkSpec("lan", "10.0.1.0/24", "10.0.1.1");

    private final BlueprintValidator validator = new BlueprintValidator();

    static VmSpec vm(String name, Map<String, String> env, List<String> command) {
        return new VmSpec(name, IMAGE, null, List.of(new InterfaceSpec("lan", "10.0.1.10")), env, command);
    }

    static Blueprint with(VmSpec vm, ResourceSpec resources) {
        return new Blueprint("edge", List.of(LAN), List.of(vm), resources);
    }

    static Blueprint with(VmSpec vm) {
        return with(vm, null);
    }

    /** The only violation of the blueprint; fails if there are none or several. */
    Violation only(Blueprint b) {
        List<Violation> v = validator.validate(b);
        assertThat(v).as("violations of %s", b.name()).hasSize(1);
        return v.get(0);
    }

    // ---- each case measured to fail at a Docker step

    @Test
    void vmNamedWithOneCharacter() {
        // the daemon: "Invalid container name (a), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
        Violation v = only(with(vm("a", null, null)));
        assertThat(v.field()).isEqualTo("vms[0].name");
        assertThat(v.message()).contains("'a'").contains("at least 2 characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "bridge", "host", "none", "container", "Default", "HOST"})
    void networkNamedLikeDockersOwn(String name) {
        // CREATE_NETWORK: 403 "operation is not permitted on predefined default network"
        Blueprint b = new Blueprint("edge", List.of(new NetworkSpec(name, "10.0.1.0/24", "10.0.1.1")),
                List.of(new VmSpec("web", IMAGE, null, List.of(new InterfaceSpec(name, "10.0.1.10")), null, null)),
                null);
        List<Violation> v = validator.validate(b);
        assertThat(v).extracting(Violation::field).first().isEqualTo("networks[0].name");
        assertThat(v.get(0).message()).contains("reserved by Docker");
    }

    @Test
    void cpusBelowTheMeasuredMinimum() {
        // the kernel refuses a CFS quota below 1 ms: 0.001 CPUs never started
        Violation v = only(with(vm("web", null, null), new ResourceSpec(null, 0.001)));
        assertThat(v.field()).isEqualTo("resources.cpus");
        assertThat(v.message()).contains("at least 0.1");
    }

    @Test
    void memoryBelowTheMeasuredMinimum() {
        // 64m: the inner engine was OOM-killed while starting the first VM
        Violation v = only(with(vm("web", null, null), new ResourceSpec("64m", null)));
        assertThat(v.field()).isEqualTo("resources.memory");
        assertThat(v.message()).contains("'64m'").contains("minimum of 128m");
    }

    @Test
    void memoryMinimumGrowsWithTheVms() {
        List<VmSpec> vms = IntStream.rangeClosed(1, 3).mapToObj(i -> new VmSpec("vm" + i, IMAGE, null,
                List.of(new InterfaceSpec("lan", "10.0.1." + (10 + i))), null, null)).toList();
        assertThat(BlueprintValidator.minMemoryBytes(3)).isEqualTo(144L * 1024 * 1024);
        assertThat(validator.validate(new Blueprint("edge", List.of(LAN), vms, new ResourceSpec("144m", null))))
                .isEmpty();
        List<Violation> v = validator.validate(new Blueprint("edge", List.of(LAN), vms, new ResourceSpec("143m", null)));
        assertThat(v).extracting(Violation::field).containsExactly("resources.memory");
        assertThat(v.get(0).message()).contains("minimum of 144m").contains("3 VMs");
    }

    @Test
    void nulInAnEnvKey() {
        // runc: "environment variable name can't contain null(\x00)"
        Violation v = only(with(vm("web", Map.of("A\0B", "x"), null)));
        assertThat(v.field()).isEqualTo("vms[0].env");
        assertThat(v.message()).contains("'A\\0B'").contains("NUL").doesNotContain("\0");
    }

    @Test
    void nulInAnEnvValue() {
        // runc: "environment variable value can't contain null(\x00)"
        Violation v = only(with(vm("web", Map.of("ROLE", "we\0b"), null)));
        assertThat(v.field()).isEqualTo("vms[0].env.ROLE");
        assertThat(v.message()).contains("NUL");
    }

    @Test
    void nulInACommand() {
        // the VM exits at once: execve cannot take an argument with NUL
        Violation v = only(with(vm("web", null, List.of("sleep", "6\0"))));
        assertThat(v.field()).isEqualTo("vms[0].command[1]");
        assertThat(v.message()).contains("NUL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " "})
    void emptyProgram(String program) {
        // runc: exec: "": executable file not found in $PATH
        Violation v = only(with(vm("web", null, List.of(program))));
        assertThat(v.field()).isEqualTo("vms[0].command[0]");
        assertThat(v.message()).contains("must not be empty");
    }

    @Test
    void envValueOf200Kilobytes() {
        // the kernel: argument list too long (one string above MAX_ARG_STRLEN)
        Violation v = only(with(vm("web", Map.of("BIG", "x".repeat(200_000)), null)));
        assertThat(v.field()).isEqualTo("vms[0].env.BIG");
        assertThat(v.message()).contains("200004 bytes").contains("at most 131071");
    }

    @Test
    void commandArgumentAboveTheKernelsLimit() {
        Violation v = only(with(vm("web", null, List.of("sh", "-c", "x".repeat(131_072)))));
        assertThat(v.field()).isEqualTo("vms[0].command[2]");
        assertThat(v.message()).contains("at most 131071");
    }

    @Test
    void sizesAreCountedInUtf8Bytes() {
        // 65,536 characters, but 131,072 bytes: what the kernel counts
        Violation v = only(with(vm("web", Map.of("A", "é".repeat(65_536)), null)));
        assertThat(v.field()).isEqualTo("vms[0].env.A");
    }

    @Test
    void envAndCommandTogetherAboveTheBudget() {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < 9; i++) {
            env.put("K" + i, "v".repeat(120_000)); // each fine alone, 1.08 MB together
        }
        Violation v = only(with(vm("web", env, null)));
        assertThat(v.field()).isEqualTo("vms[0].env");
        assertThat(v.message()).contains("together").contains("limit is 1048576");
        Violation c = only(with(vm("web", null, List.of("sh", "-c", "x".repeat(100_000), "y".repeat(100_000),
                "z".repeat(100_000), "a".repeat(100_000), "b".repeat(100_000), "c".repeat(100_000),
                "d".repeat(100_000), "e".repeat(100_000), "f".repeat(100_000), "g".repeat(100_000),
                "h".repeat(100_000)))));
        assertThat(c.field()).isEqualTo("vms[0].command");
    }

    @ParameterizedTest
    @ValueSource(strings = {"A B", "A\nB", "A\tB", "A\rB", " A", "A\u00a0B", "A\u0001B"})
    void envKeysWithWhitespaceOrControlCharacters(String key) {
        Violation v = only(with(vm("web", Map.of(key, "x"), null)));
        assertThat(v.field()).isEqualTo("vms[0].env");
        assertThat(v.message()).contains("must not contain whitespace").doesNotContain("\n", "\t", "\r", "\u0001");
    }

    @Test
    void twoThousandFiveHundredVms() {
        // failed at VM 326: the range's process limit (4096) ran out, about 12.5 processes per idle VM
        Blueprint b = vms(2500);
        Violation v = only(b);
        assertThat(v.field()).isEqualTo("vms");
        assertThat(v.message()).contains("at most 100 VMs").contains("has 2500");
    }

    @Test
    void yamlAliasIsRefusedNotReplacedByItsName() {
        // Jackson's YAML reader handed over "r", the anchor's name, as the value of OTHER
        String yaml = """
                name: edge
                networks: [{name: lan, subnet: 10.0.1.0/24, gateway: 10.0.1.1}]
                vms:
                  - name: web
                    image: cyroid/vm-busybox:latest
                    interfaces: [{network: lan, ip: 10.0.1.10}]
                    env: {ROLE: r, OTHER: *r}
                """;
        BlueprintParseException e = catchThrowableOfType(BlueprintParseException.class,
                () -> BlueprintParser.fromYaml(yaml));
        assertThat(e).isNotNull();
        assertThat(e.field()).isEqualTo("vms[0].env.OTHER");
        assertThat(e.getMessage()).contains("'alias *r'").contains("not supported").contains("line 7");
    }

    // ---- the edge of what the engine takes: accepted

    @Test
    void edgeOfValidIsAccepted() {
        // the measured minimums with a two-character VM name
        assertThat(validator.validate(with(vm("ab", Map.of("ROLE", "web"), List.of("sleep", "600")),
                new ResourceSpec("128m", 0.1)))).isEmpty();
        // an env value and a command argument at the kernel's limit for one string, at their memory minimum
        Map<String, String> env = Map.of("BIG", "x".repeat(BlueprintValidator.MAX_ARG_BYTES - "BIG=".length()));
        VmSpec big = vm("ab", env, List.of("sh", "-c", "sleep 600", "y".repeat(BlueprintValidator.MAX_ARG_BYTES)));
        long min = BlueprintValidator.minMemoryBytes(with(big));
        assertThat(min).isEqualTo(141L * 1024 * 1024);
        assertThat(validator.validate(with(big, new ResourceSpec(min / (1024 * 1024) + "m", 0.1)))).isEmpty();
        // one byte more and the kernel refuses it
        Map<String, String> over = Map.of("BIG", "x".repeat(BlueprintValidator.MAX_ARG_BYTES - "BIG=".length() + 1));
        assertThat(only(with(vm("ab", over, null))).field()).isEqualTo("vms[0].env.BIG");
    }

    @Test
    void bigEnvAndCommandRaiseTheMemoryMinimum() {
        // measured: a VM with 1 MiB of env and command took the range from 85 to 122-128 MiB; at 128m the inner
        // engine stopped answering while starting it
        Map<String, String> env = new HashMap<>();
        for (int i = 1; i <= 7; i++) {
            env.put("K" + i, "x".repeat(BlueprintValidator.MAX_ARG_BYTES - 3));
        }
        VmSpec vm = vm("ab", env, List.of("sh", "-c", "sleep 600", "y".repeat(130_967)));
        assertThat(BlueprintValidator.execBytes(vm)).isEqualTo(BlueprintValidator.MAX_EXEC_BYTES);
        assertThat(BlueprintValidator.minMemoryBytes(with(vm))).isEqualTo(188L * 1024 * 1024);
        Violation v = only(with(vm, new ResourceSpec("128m", 0.1)));
        assertThat(v.field()).isEqualTo("resources.memory");
        assertThat(v.message()).contains("minimum of 188m").contains("(1 VM)").contains("983040 bytes");
        assertThat(validator.validate(with(vm, new ResourceSpec("188m", 0.1)))).isEmpty();
        assertThat(only(with(vm, new ResourceSpec("187m", 0.1))).field()).isEqualTo("resources.memory");
        // small env and command are covered by the base minimum
        assertThat(BlueprintValidator.minMemoryBytes(with(vm("ab", Map.of("A", "x".repeat(60_000)), null))))
                .isEqualTo(BlueprintValidator.MIN_MEMORY_BYTES);
    }

    @Test
    void limitsAreEdgesToo() {
        assertThat(validator.validate(vms(100))).isEmpty();
        assertThat(only(vms(101)).field()).isEqualTo("vms");

        List<NetworkSpec> nets = new ArrayList<>();
        for (int i = 1; i <= 51; i++) {
            nets.add(new NetworkSpec("n" + i, "10.1." + i + ".0/24", "10.1." + i + ".1"));
        }
        VmSpec nine = new VmSpec("web", IMAGE, null, IntStream.rangeClosed(1, 9)
                .mapToObj(i -> new InterfaceSpec("n" + i, "10.1." + i + ".10")).toList(), null, null);
        VmSpec eight = new VmSpec("web", IMAGE, null, nine.interfaces().subList(0, 8), null, null);
        assertThat(validator.validate(new Blueprint("b", nets.subList(0, 50), List.of(eight), null))).isEmpty();
        Violation tooManyNets = only(new Blueprint("b", nets, List.of(eight), null));
        assertThat(tooManyNets.field()).isEqualTo("networks");
        assertThat(tooManyNets.message()).contains("at most 50 networks").contains("has 51");
        Violation tooManyNics = only(new Blueprint("b", nets.subList(0, 50), List.of(nine), null));
        assertThat(tooManyNics.field()).isEqualTo("vms[0].interfaces");
        assertThat(tooManyNics.message()).contains("at most 8 interfaces").contains("has 9");
    }

    @Test
    void limitsAreConfigurable() {
        BlueprintValidator big = new BlueprintValidator(new BlueprintLimits(2500, 2, 1));
        assertThat(big.limits()).isEqualTo(new BlueprintLimits(2500, 2, 1));
        assertThat(big.validate(vms(2500))).isEmpty();
        assertThat(new BlueprintValidator().limits()).isEqualTo(BlueprintLimits.DEFAULTS);
        assertThat(new BlueprintValidator(null).limits()).isEqualTo(BlueprintLimits.DEFAULTS);
        assertThat(BlueprintLimits.DEFAULTS).isEqualTo(new BlueprintLimits(100, 50, 8));
        assertThatThrownBy(() -> new BlueprintLimits(0, 50, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BlueprintLimits(100, -1, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BlueprintLimits(100, 50, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** {@code n} VMs named vm1..vmN on one /16 network, no resources. */
    static Blueprint vms(int n) {
        NetworkSpec big = new NetworkSpec("big", "10.0.0.0/16", "10.0.0.1");
        List<VmSpec> vms = IntStream.rangeClosed(1, n).mapToObj(i -> new VmSpec("vm" + i, IMAGE, null,
                List.of(new InterfaceSpec("big", "10.0." + (1 + i / 250) + "." + (1 + i % 250))), null, null)).toList();
        return new Blueprint("many", List.of(big), vms, null);
    }
}
