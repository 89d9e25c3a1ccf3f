package io.cyroid.blueprint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class BlueprintParserTest {

    static final String SAMPLE_YAML = """
            name: corp-lan
            networks:
              - {name: lan, subnet: 10.0.1.0/24, gateway: 10.0.1.1}
              - {name: dmz, subnet: 10.0.2.0/24, gateway: 10.0.2.1}
            vms:
              - name: web
                image: cyroid/vm-busybox:latest
                hostname: web
                interfaces: [{network: lan, ip: 10.0.1.10}, {network: dmz, ip: 10.0.2.10}]
                env: {ROLE: web}
                command: ["sleep", "infinity"]
            resources: {memory: 2g, cpus: 2}
            """;

    static final String SAMPLE_JSON = """
            {"name": "corp-lan",
             "networks": [{"name": "lan", "subnet": "10.0.1.0/24", "gateway": "10.0.1.1"},
                          {"name": "dmz", "subnet": "10.0.2.0/24", "gateway": "10.0.2.1"}],
             "vms": [{"name": "web", "image": "cyroid/vm-busybox:latest", "hostname": "web",
                      "interfaces": [{"network": "lan", "ip": "10.0.1.10"}, {"network": "dmz", "ip": "10.0.2.10"}],
                      "env": {"ROLE": "web"}, "command": ["sleep", "infinity"]}],
             "resources": {"memory": "2g", "cpus": 2}}
            """;

    static final Blueprint EXPECTED = new Blueprint("corp-lan",
            List.of(new NetworkSpec("lan", "10.0.1.0/24", "10.0.1.1"), new NetworkSpec("dmz", "10.0.2.0/24", "10.0.2.1")),
            List.of(new VmSpec("web", "cyroid/vm-busybox:latest", "web",
                    List.of(new InterfaceSpec("lan", "10.0.1.10"), new InterfaceSpec("dmz", "10.0.2.10")),
                    Map.of("ROLE", "web"), List.of("sleep", "infinity"))),
            new ResourceSpec("2g", 2.0));

    static BlueprintParseException refusal(String text, boolean yaml) {
        BlueprintParseException e = catchThrowableOfType(BlueprintParseException.class, () -> BlueprintParser.parse(text, yaml));
        assertThat(e).as("refused: %s", text).isNotNull();
        // The message is for instructors: no Java class names, no Jackson internals.
        assertThat(e.getMessage()).doesNotContain("io.cyroid", "java.", "jackson", "`");
        return e;
    }

    @Test
    void sampleYamlParsesToExpectedRecords() {
        Blueprint b = BlueprintParser.fromYaml(SAMPLE_YAML);
        assertThat(b).isEqualTo(EXPECTED);
        assertThat(new BlueprintValidator().validate(b)).isEmpty();
    }

    @Test
    void sampleJsonParsesToExpectedRecords() {
        assertThat(BlueprintParser.fromJson(SAMPLE_JSON)).isEqualTo(EXPECTED);
        assertThat(BlueprintParser.parse(SAMPLE_JSON, false)).isEqualTo(EXPECTED);
        assertThat(new BlueprintParser().fromYaml(SAMPLE_YAML)).isEqualTo(EXPECTED); // instance use also works
    }

    @Test
    void toJsonRoundTrips() {
        String json = BlueprintParser.toJson(EXPECTED);
        assertThat(json).doesNotContain("images");
        assertThat(BlueprintParser.fromJson(json)).isEqualTo(EXPECTED);
        Blueprint sparse = new Blueprint("x", null, List.of(new VmSpec("v", "alpine", null, null, null, null)), null);
        assertThat(BlueprintParser.fromJson(BlueprintParser.toJson(sparse))).isEqualTo(sparse);
    }

    @Test
    void absentFieldsBecomeNullOrEmpty() {
        Blueprint b = BlueprintParser.fromYaml("name: x\n");
        assertThat(b.networks()).isEmpty();
        assertThat(b.vms()).isEmpty();
        assertThat(b.resources()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "networks: [{name: lan, subnett: 10.0.1.0/24}]                 | networks[0].subnett",
            "nme: x                                                        | nme",
            "vms: [{name: a, interfaces: [{network: lan, ipp: 1.2.3.4}]}]   | vms[0].interfaces[0].ipp",
            "resources: {memory: 1g, cpu: 2}                               | resources.cpu"})
    void unknownFieldRefusedNamingTheField(String yaml, String field) {
        BlueprintParseException e = refusal(yaml, true);
        assertThat(e.field()).isEqualTo(field);
        String last = field.substring(field.lastIndexOf('.') + 1);
        assertThat(e.getMessage()).contains("unknown field '" + last + "'");
    }

    @Test
    void unknownFieldMessageListsKnownFields() {
        BlueprintParseException e = refusal("{\"networks\":[{\"name\":\"lan\",\"subnett\":\"10.0.1.0/24\"}]}", false);
        assertThat(e.field()).isEqualTo("networks[0].subnett");
        assertThat(e.getMessage()).contains("gateway, internet, name, subnet");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'name: \"unclosed'",
            "'name: x\n  bad: indent: here'",
            "'\tname: x'",
            "'name: a\nname: b'",
            "'{name: x'"})
    void malformedYamlRefused(String yaml) {
        BlueprintParseException e = refusal(yaml, true);
        assertThat(e.field()).isEqualTo("body");
        assertThat(e.getMessage()).startsWith("malformed YAML (line ");
    }

    @Test
    void syntaxErrorInsideAFieldKeepsItsPath() {
        BlueprintParseException e = refusal("name: x\nnetworks: [{name: lan", true);
        assertThat(e.field()).isEqualTo("networks[0]");
        assertThat(e.getMessage()).startsWith("malformed YAML (line 2");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'{\"name\": \"x\",}'",
            "'{\"name\": \"x\"} trailing'",
            "'{name: x}'",
            "'{\"name\": \"a\", \"name\": \"b\"}'"})
    void malformedJsonRefused(String json) {
        assertThat(refusal(json, false).field()).isEqualTo("body");
    }

    @Test
    void emptyInputRefused() {
        assertThat(refusal("", true).field()).isEqualTo("body");
        assertThat(refusal(null, false).field()).isEqualTo("body");
        assertThat(refusal("---\n", true).field()).isEqualTo("body");
        assertThat(refusal("~", true).field()).isEqualTo("body");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "- just a list                          | body      | mapping",
            "networks: lan                          | networks  | list",
            "networks: [lan]                        | networks[0] | mapping",
            "name: {a: b}                           | name      | text",
            "resources: {cpus: lots}                | resources.cpus | number",
            "vms: [{name: a, env: [A, B]}]           | vms[0].env | mapping"})
    void wrongShapeRefusedNamingTheField(String yaml, String field, String expected) {
        BlueprintParseException e = refusal(yaml, true);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).contains(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "networks: [null]                          | networks[0]",
            "vms: [~]                                   | vms[0]",
            "vms: [{name: a, command: [sleep, null]}]   | vms[0].command[1]",
            "vms: [{name: a, env: {A: ~}}]              | vms[0].env.A",
            "vms: [{name: a, interfaces: [null]}]       | vms[0].interfaces[0]"})
    void nullElementsRefusedNamingTheField(String yaml, String field) {
        BlueprintParseException e = refusal(yaml, true);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).contains("must not be null");
    }

    @Test
    void nullListsAreAcceptedByTheParserAndReportedByTheValidator() {
        Blueprint b = BlueprintParser.fromJson("{\"name\": null, \"networks\": null, \"vms\": null, \"resources\": null}");
        assertThat(new BlueprintValidator().validate(b)).extracting(Violation::field).containsExactly("name", "networks", "vms");
    }

    @Test
    void scalarsAreReadAsText() {
        Blueprint b = BlueprintParser.fromYaml("name: 123\nresources: {memory: 512, cpus: '1.5'}\n");
        assertThat(b.name()).isEqualTo("123");
        assertThat(b.resources()).isEqualTo(new ResourceSpec("512", 1.5));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // the brief's case: an anchored value and an alias to it
            "'vms: [{name: web, env: {ROLE: &r web, OTHER: *r}}]'                    | vms[0].env.ROLE | anchor &r",
            "'vms: [{name: web, env: {ROLE: web, OTHER: *r}}]'                       | vms[0].env.OTHER | alias *r",
            "'vms: [{name: web, command: [sleep, *t]}]'                              | vms[0].command[1] | alias *t",
            "'networks: [&n {name: lan}, *n]'                                         | networks[0] | anchor &n",
            "'base: &b {memory: 1g}\nresources: {<<: *b}'                             | base | anchor &b",
            "'resources: {<<: *b}'                                                    | resources.<< | alias *b",
            "'name: *x'                                                               | name | alias *x",
            "'&top {name: x}'                                                         | body | anchor &top"})
    void yamlAnchorsAndAliasesRefusedNamingTheField(String yaml, String field, String found) {
        BlueprintParseException e = refusal(yaml.replace("\\n", "\n"), true);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).contains("YAML anchors and aliases are not supported").contains(found);
    }

    @Test
    void aliasBombRefusedAtOnce() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [");
            for (int k = 0; k < 9; k++) {
                yaml.append(k == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            yaml.append("]\n");
        }
        assertThat(refusal(yaml.toString(), true).field()).isEqualTo("a0");
    }

    @Test
    void starsAndAmpersandsInQuotedTextAreText() {
        Blueprint b = BlueprintParser.fromYaml("name: x\nvms: [{name: web, env: {A: '*r', B: \"&s\"}, command: [echo, '*']}]\n");
        assertThat(b.vms().get(0).env()).isEqualTo(Map.of("A", "*r", "B", "&s"));
        assertThat(b.vms().get(0).command()).containsExactly("echo", "*");
        assertThat(BlueprintParser.fromJson("{\"name\": \"*r\"}").name()).isEqualTo("*r");
    }

    @Test
    void parseMemoryBytesOfTwoGigabytes() {
        assertThat(BlueprintValidator.parseMemoryBytes("2g")).isEqualTo(2147483648L);
    }
}
