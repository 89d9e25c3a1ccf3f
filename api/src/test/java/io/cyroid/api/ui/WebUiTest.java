package io.cyroid.api.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.cyroid.api.WithoutEngine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * The web UI's files are served at / without credentials, while /api still wants them; and nothing the UI ships
 * points outside the server (no CDN, no font service: the browser needs no network beyond Cyroid).
 */
class WebUiTest extends WithoutEngine {

    static final Pattern EXTERNAL = Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}");

    @Test
    void theRootServesTheUiWithoutCredentials() {
        String html = anonymous.get().uri("/").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(html).contains("<main", "ui/app.js", "ui/app.css");
        anonymous.get().uri("/ui/app.js").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/javascript");
        anonymous.get().uri("/ui/app.css").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/css");
    }

    @Test
    void theApiStillNeedsCredentials() {
        anonymous.get().uri("/api/v1/ranges").exchange().expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Realm\"");
        // the UI's own requests: refused the same, without the challenge that would pop up the browser's dialog
        anonymous.get().uri("/api/v1/ranges").header("X-Requested-With", "XMLHttpRequest").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().doesNotExist(HttpHeaders.WWW_AUTHENTICATE)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        // only the UI's files are open: an unknown path outside them is not
        anonymous.get().uri("/ranges.json").exchange().expectStatus().isUnauthorized();
        api.get().uri("/api/v1/ranges").exchange().expectStatus().isOk();
    }

    @Test
    void noServedFileReferencesAnotherServer() throws IOException {
        Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath:static/**/*.*");
        List<String> served = new ArrayList<>();
        List<String> external = new ArrayList<>();
        for (Resource file : files) {
            String url = file.getURL().toString();
            String path = url.substring(url.indexOf("/static/") + "/static".length());
            String body = anonymous.get().uri(path).exchange().expectStatus().isOk().expectBody(String.class)
                    .returnResult().getResponseBody();
            served.add(path);
            Matcher matcher = EXTERNAL.matcher(body);
            while (matcher.find()) {
                external.add(path + ": " + matcher.group());
            }
        }
        assertThat(served).contains("/index.html", "/ui/app.js", "/ui/app.css", "/ui/sse.js");
        assertThat(external).isEmpty();
        // the control: the pattern does find such a reference
        assertThat(EXTERNAL.matcher("<script src=\"https://cdn.example.org/x.js\">").find()).isTrue();
        assertThat(EXTERNAL.matcher("import('//cdn.example.org/x.js')").find()).isTrue();
    }
}
