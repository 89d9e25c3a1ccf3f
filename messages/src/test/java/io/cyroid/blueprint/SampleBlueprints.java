package io.cyroid.blueprint;

import java.util.List;
import java.util.Map;

/** The sample range of the docs as records, shared by the tests of every module (messages' test-jar). */
public final class SampleBlueprints {

    public static final String IMAGE = "cyroid/vm-busybox:latest";
    public static final List<InterfaceSpec> WEB_IPS = List.of(new InterfaceSpec("lan", "10.0.1.10"),
            new InterfaceSpec("dmz", "10.0.2.10"));
    public static final List<InterfaceSpec> DB_IPS = List.of(new InterfaceSpec("lan", "10.0.1.20"));
    public static final Blueprint CORP_LAN = new Blueprint("corp-lan",
            List.of(new NetworkSpec("lan", "10.0.1.0/24", "10.0.1.1"),
                    new NetworkSpec("dmz", "10.0.2.0/24", "10.0.2.1")),
            List.of(new VmSpec("web", IMAGE, "web", WEB_IPS, Map.of("ROLE", "web"), List.of("sleep", "infinity")),
                    new VmSpec("db", IMAGE, "db", DB_IPS, Map.of(), List.of())),
            new ResourceSpec("2g", 2.0));

    private SampleBlueprints() {
    }
}
