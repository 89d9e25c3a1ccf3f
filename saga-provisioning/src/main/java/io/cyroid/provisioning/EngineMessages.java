package io.cyroid.provisioning;

import java.util.regex.Pattern;

/**
 * Turns an engine's error text into words for an instructor: no Java class names (shaded or not), no host paths
 * (cgroup files, the engine's storage, Cyroid's socket folder), nothing else of the machine's insides.
 */
public final class EngineMessages {

    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(?:[a-z_][a-z0-9_]*\\.){2,}[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b:?\\s*");
    private static final Pattern STATUS_JSON = Pattern.compile(
            "Status \\d{3}: \\{\"message\":\"((?:[^\"\\\\]|\\\\.)*)\"\\}");
    private static final Pattern CGROUP_PATH = Pattern.compile("/sys/fs/cgroup/[^\\s:\"]*");
    private static final Pattern ENGINE_STORAGE = Pattern.compile("/var/lib/docker/[^\\s:\"]*");
    private static final Pattern PROC_PATH = Pattern.compile("/proc/\\d+/[^\\s:\"]*");
    private static final int MAX = 2000;

    private EngineMessages() {
    }

    public static String clean(String message) {
        if (message == null || message.isBlank()) {
            return "unknown engine error";
        }
        String text = message.strip();
        var status = STATUS_JSON.matcher(text);
        if (status.find()) {
            text = status.group(1).replace("\\\"", "\"").replace("\\n", " ").replace("\\\\", "\\");
        }
        text = CLASS_NAME.matcher(text).replaceAll("");
        text = CGROUP_PATH.matcher(text).replaceAll("(a cgroup file)");
        text = ENGINE_STORAGE.matcher(text).replaceAll("(the engine's storage)");
        text = PROC_PATH.matcher(text).replaceAll("(a process file)");
        text = text.replaceAll("\\s+", " ").strip();
        if (text.isEmpty()) {
            return "unknown engine error";
        }
        return text.length() <= MAX ? text : text.substring(0, MAX) + "...";
    }

    /** Also hides a host folder of Cyroid's own (the socket folder) behind a name. */
    public static String clean(String message, String hostFolder, String name) {
        String text = clean(message);
        return hostFolder == null || hostFolder.isEmpty() ? text : text.replace(hostFolder, name);
    }
}
