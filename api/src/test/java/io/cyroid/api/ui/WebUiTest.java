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
    /** A JavaScript or CSS string (kept: a URL in one may be loaded) or comment (dropped: a URL there is prose). */
    static final Pattern STRING_OR_COMMENT = Pattern.compile(
            "\"(?:\\\\.|[^\"\\\\\n])*\"|'(?:\\\\.|[^'\\\\\n])*'|`(?:\\\\.|[^`\\\\])*`|/\\*[\\s\\S]*?\\*/|//[^\n]*");

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
            String body = large().get().uri(path).exchange().expectStatus().isOk().expectBody(String.class)
                    .returnResult().getResponseBody();
            served.add(path);
            if (path.startsWith("/vendor/")) {
                // the vendored libraries (npm, docs/operations.md) name their sources and bug reports in comments,
                // and their licence texts name licence sites: none of that is loaded. Their code is checked.
                if (!path.endsWith(".js") && !path.endsWith(".css")) {
                    continue;
                }
                body = withoutComments(body);
            }
            Matcher matcher = EXTERNAL.matcher(body);
            while (matcher.find()) {
                external.add(path + ": " + matcher.group());
            }
        }
        assertThat(served).contains("/index.html", "/ui/app.js", "/ui/app.css", "/ui/sse.js", "/ui/console.js",
                "/vendor/xterm/lib/xterm.js", "/vendor/xterm/css/xterm.css", "/vendor/xterm-addon-fit/lib/addon-fit.js",
                "/vendor/novnc/core/rfb.js", "/vendor/novnc/vendor/pako/lib/zlib/inflate.js");
        assertThat(external).isEmpty();
        // the control: the pattern does find such a reference
        assertThat(EXTERNAL.matcher("<script src=\"https://cdn.example.org/x.js\">").find()).isTrue();
        assertThat(EXTERNAL.matcher("import('//cdn.example.org/x.js')").find()).isTrue();
        // and the comment filter keeps code and strings: only comments go
        assertThat(withoutComments("/* see https://a.example.org */ import(\"https://cdn.example.org/x.js\"); // x"))
                .isEqualTo(" import(\"https://cdn.example.org/x.js\"); ");
        assertThat(withoutComments("a = 'http://cdn.example.org/y.css'; /*\n https://b.example.org\n*/"))
                .contains("cdn.example.org").doesNotContain("b.example.org");
    }

    /** Every file a page of the UI needs is served without credentials, the vendored libraries included. */
    @Test
    void theVendoredLibrariesAreServed() {
        large().get().uri("/vendor/xterm/lib/xterm.js").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/javascript")
                .expectBody(String.class).value(body -> assertThat(body).contains("Terminal"));
        anonymous.get().uri("/vendor/novnc/core/rfb.js").exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("export default class RFB"));
        anonymous.get().uri("/").exchange().expectBody(String.class).value(html -> assertThat(html)
                .contains("vendor/xterm/lib/xterm.js", "vendor/xterm-addon-fit/lib/addon-fit.js",
                        "vendor/xterm/css/xterm.css"));
        // their licences ship beside them
        for (String licence : new String[] {"/vendor/xterm/LICENSE", "/vendor/xterm-addon-fit/LICENSE",
                "/vendor/novnc/LICENSE.txt", "/vendor/novnc/docs/LICENSE.MPL-2.0", "/vendor/novnc/vendor/pako/LICENSE"}) {
            anonymous.get().uri(licence).exchange().expectStatus().isOk();
        }
        // control: an unknown file there is not found, not served as something else
        anonymous.get().uri("/vendor/nothing.js").exchange().expectStatus().isNotFound();
    }

    /** Without credentials, reading bodies larger than the server's own request limit (xterm.js is ~280 KB). */
    private org.springframework.test.web.reactive.server.WebTestClient large() {
        return anonymous.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(8 * 1024 * 1024)).build();
    }

    static String withoutComments(String code) {
        return STRING_OR_COMMENT.matcher(code).replaceAll(match -> match.group().startsWith("/") ? ""
                : Matcher.quoteReplacement(match.group()));
    }
}
