package io.cyroid.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * JWT bearer tokens from an OpenID Connect provider, played by this test: a key set it generates, served on
 * loopback. Tokens with the right signature, issuer and time sign in with the roles of their claim; any other is 401.
 */
class OidcApiTest extends WithoutEngine {

    static final String ISSUER = "https://idp.example.test/realms/cyroid";
    static final RSAKey KEY = key("provider-key");
    static final RSAKey STRANGER = key("someone-elses-key");
    static final HttpServer KEY_SET = serve(new JWKSet(KEY.toPublicJWK()).toString());

    static RSAKey key(String id) {
        try {
            return new RSAKeyGenerator(2048).keyID(id).keyUse(KeyUse.SIGNATURE).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpServer serve(String keySet) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/keys", exchange -> {
                byte[] body = keySet.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void provider(DynamicPropertyRegistry registry) {
        registry.add("cyroid.security.oidc.jwk-set-uri",
                () -> "http://127.0.0.1:" + KEY_SET.getAddress().getPort() + "/keys");
        registry.add("cyroid.security.oidc.issuer", () -> ISSUER);
    }

    @AfterAll
    static void stopProvider() {
        KEY_SET.stop(0);
    }

    static String token(RSAKey key, String issuer, String user, List<String> roles, Instant expires) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    new JWTClaimsSet.Builder().issuer(issuer).subject("id-" + user).claim("preferred_username", user)
                            .claim("roles", roles).issueTime(Date.from(Instant.now().minusSeconds(5)))
                            .expirationTime(Date.from(expires)).build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String valid(String user, String... roles) {
        return token(KEY, ISSUER, user, List.of(roles), Instant.now().plusSeconds(300));
    }

    @Test
    void aProvidersTokenSignsInWithTheRolesOfItsClaim() {
        anonymous.post().uri("/api/v1/blueprints").headers(h -> h.setBearerAuth(valid("ines", "INSTRUCTOR")))
                .contentType(MediaType.parseMediaType("application/yaml")).bodyValue(sampleYaml("oidc-class"))
                .exchange().expectStatus().isCreated();
        anonymous.get().uri("/api/v1/blueprints").headers(h -> h.setBearerAuth(valid("tim", "TRAINEE")))
                .exchange().expectStatus().isForbidden();
        anonymous.get().uri("/api/v1/audit").headers(h -> h.setBearerAuth(valid("ada", "AUDITOR", "unrelated")))
                .exchange().expectStatus().isOk();
        assertThat(anonymous.get().uri("/api/v1/ranges").headers(h -> h.setBearerAuth(valid("tim", "TRAINEE")))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
                .isEqualTo("[]");
        // Basic still works beside tokens
        api.get().uri("/api/v1/users").exchange().expectStatus().isOk();
    }

    @Test
    void anyOtherTokenIsRefused() {
        for (String token : List.of(
                token(STRANGER, ISSUER, "ines", List.of("ADMIN"), Instant.now().plusSeconds(300)),
                token(KEY, "https://elsewhere.example.test", "ines", List.of("ADMIN"), Instant.now().plusSeconds(300)),
                token(KEY, ISSUER, "ines", List.of("ADMIN"), Instant.now().minusSeconds(600)),
                valid("ines", "ADMIN").replaceFirst("\\.[^.]+$", ".c2lnbmF0dXJl"),
                "not-a-token")) {
            anonymous.get().uri("/api/v1/ranges").headers(h -> h.setBearerAuth(token)).exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        // the control: the same request with a good token passes
        anonymous.get().uri("/api/v1/ranges").headers(h -> h.setBearerAuth(valid("ines", "ADMIN"))).exchange()
                .expectStatus().isOk();
    }
}
