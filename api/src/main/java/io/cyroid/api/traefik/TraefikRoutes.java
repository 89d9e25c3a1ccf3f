package io.cyroid.api.traefik;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;

/**
 * Traefik's dynamic file configuration, one YAML file per deployed range: for each VM a router on
 * {@code /range/{rangeId}/vm/{vm}} (and below), a middleware that replaces the path with the VM's console endpoint,
 * and the range's service, the api. Plus one file routing everything else to the api. Files are written to a temp
 * file and renamed, so Traefik (which watches the folder, and reads only .yml/.yaml/.toml) never sees half a file.
 */
public final class TraefikRoutes {

    static final String API_FILE = "cyroid-api.yml";
    static final String RANGE_PREFIX = "range-";
    /** Above any terminal router's default priority (its rule's length, a few hundred at most). */
    static final int VNC_PRIORITY = 10_000;

    private final Path folder;
    private final String apiUrl;

    public TraefikRoutes(Path folder, String apiUrl) {
        this.folder = folder;
        this.apiUrl = apiUrl;
    }

    public Path file(String rangeId) {
        return folder.resolve(RANGE_PREFIX + rangeId + ".yml");
    }

    /** The configuration of one range whose VMs are {@code vms}, none with a graphical console. */
    public String configuration(String rangeId, List<String> vms) {
        return configuration(rangeId, vms, Set.of());
    }

    /**
     * The configuration of one range whose VMs are {@code vms}; those in {@code graphical} declare a VNC console,
     * which gets its own router on {@code .../vm/{vm}/vnc}, above the VM's terminal router (whose prefix covers it:
     * Traefik ranks routers by rule length unless told, and the terminal's rule is the longer).
     */
    public String configuration(String rangeId, List<String> vms, Set<String> graphical) {
        String service = "cyroid-range-" + rangeId;
        StringBuilder routers = new StringBuilder();
        StringBuilder middlewares = new StringBuilder();
        for (String vm : vms) {
            String name = service + "-vm-" + vm;
            String prefix = "/range/" + rangeId + "/vm/" + vm;
            routers.append("    ").append(name).append(":\n")
                    .append("      rule: \"Path(`").append(prefix).append("`) || PathPrefix(`").append(prefix)
                    .append("/`)\"\n")
                    .append("      middlewares: [\"").append(name).append("-console\"]\n")
                    .append("      service: \"").append(service).append("\"\n");
            middlewares.append("    ").append(name).append("-console:\n")
                    .append("      replacePath:\n")
                    .append("        path: \"/api/v1/ranges/").append(rangeId).append("/vms/").append(vm)
                    .append("/console\"\n");
            if (graphical.contains(vm)) {
                routers.append("    ").append(name).append("-vnc:\n")
                        .append("      rule: \"Path(`").append(prefix).append("/vnc`)\"\n")
                        .append("      priority: ").append(VNC_PRIORITY).append("\n")
                        .append("      middlewares: [\"").append(name).append("-vnc\"]\n")
                        .append("      service: \"").append(service).append("\"\n");
                middlewares.append("    ").append(name).append("-vnc:\n")
                        .append("      replacePath:\n")
                        .append("        path: \"/api/v1/ranges/").append(rangeId).append("/vms/").append(vm)
                        .append("/vnc\"\n");
            }
        }
        return "# Written by Cyroid for range " + rangeId + " while it is deployed; removed when it goes.\n"
                + "http:\n"
                + "  routers:\n" + routers
                + "  middlewares:\n" + middlewares
                + "  services:\n"
                + "    " + service + ":\n"
                + "      loadBalancer:\n"
                + "        servers:\n"
                + "          - url: \"" + apiUrl + "\"\n";
    }

    /** Everything that no range router takes goes to the api (longer rules win in Traefik: range routes first). */
    public String apiConfiguration() {
        return "# Written by Cyroid at start: the api behind Traefik.\n"
                + "http:\n"
                + "  routers:\n"
                + "    cyroid-api:\n"
                + "      rule: \"PathPrefix(`/`)\"\n"
                + "      service: cyroid-api\n"
                + "  services:\n"
                + "    cyroid-api:\n"
                + "      loadBalancer:\n"
                + "        servers:\n"
                + "          - url: \"" + apiUrl + "\"\n";
    }

    public void writeApi() {
        write(folder.resolve(API_FILE), apiConfiguration());
    }

    public void write(String rangeId, List<String> vms) {
        write(rangeId, vms, Set.of());
    }

    public void write(String rangeId, List<String> vms, Set<String> graphical) {
        write(file(rangeId), configuration(rangeId, vms, graphical));
    }

    public void remove(String rangeId) {
        try {
            Files.deleteIfExists(file(rangeId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every range's file (a replay writes them again); the api's stays. */
    public void removeAll() {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, RANGE_PREFIX + "*.yml")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(Path target, String content) {
        try {
            Files.createDirectories(folder);
            Path temp = folder.resolve("." + target.getFileName() + ".tmp");
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
