package io.cyroid.api.traefik;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the range routes for Traefik's file provider go ({@code dynamicDir}, default {@code ${cyroid.data-dir}/traefik})
 * and the URL at which Traefik reaches this server ({@code apiUrl}, default {@code http://api:8080}, the compose
 * service). Environment: CYROID_TRAEFIK_DYNAMIC_DIR, CYROID_TRAEFIK_API_URL.
 */
@ConfigurationProperties("cyroid.traefik")
public record TraefikProperties(Path dynamicDir, String apiUrl) {

    public TraefikProperties {
        if (dynamicDir == null) {
            throw new IllegalArgumentException("cyroid.traefik.dynamic-dir must be set");
        }
        if (apiUrl == null || !apiUrl.matches("https?://[^\\s`\"]+")) {
            throw new IllegalArgumentException("cyroid.traefik.api-url must be an http(s) URL, not " + apiUrl);
        }
    }
}
