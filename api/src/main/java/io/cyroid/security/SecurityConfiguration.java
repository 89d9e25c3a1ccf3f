package io.cyroid.security;

import io.cyroid.api.console.ConsoleTickets;
import io.cyroid.api.user.Accounts;
import java.security.SecureRandom;
import org.springframework.http.HttpMethod;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import java.time.Clock;
import java.time.Duration;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import reactor.core.publisher.Mono;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * HTTP Basic on everything under /api; health, the API description and the web UI's static files are open. Its
 * 401 and 403 are application/problem+json ({@link ProblemAnswers}). One user for now, {@code admin},
 * whose password comes from CYROID_ADMIN_PASSWORD or, when unset, is generated and logged once.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties(OidcProperties.class)
public class SecurityConfiguration {

    public static final String ADMIN = "admin";
    static final String ADMIN_ROLE = "ADMIN";
    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, ReactiveAuthenticationManager authentication,
                                       OidcProperties oidc, ConsoleTickets tickets, CurrentUsers users) {
        if (oidc.enabled()) {
            http.oauth2ResourceServer(bearer -> bearer
                    .authenticationEntryPoint(ProblemAnswers.unauthorized())
                    .accessDeniedHandler(ProblemAnswers.forbidden())
                    .jwt(jwt -> jwt.jwtDecoder(BearerTokens.decoder(oidc))
                            .jwtAuthenticationConverter(BearerTokens.users(oidc))));
        }
        return http
                // a stateless API used with Basic credentials: no session cookie, so no CSRF to defend against
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .securityContextRepository(
                        org.springframework.security.web.server.context.NoOpServerSecurityContextRepository
                                .getInstance())
                .authorizeExchange(exchange -> exchange
                        .pathMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        // the JSON and the YAML description alike: "/v3/api-docs/**" does not match ".yaml"
                        .pathMatchers("/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**", "/swagger-ui.html",
                                "/swagger-ui/**", "/webjars/**")
                        .permitAll()
                        // the web UI's own files (static/): they hold no data, every call they make is under /api
                        .pathMatchers(HttpMethod.GET, "/", "/index.html", "/ui/**", "/vendor/**").permitAll()
                        // who may do what (docs/security.md); per-range rights are checked by the controllers
                        .pathMatchers("/api/v1/users", "/api/v1/users/**", "/api/v1/admin/**").hasRole(ADMIN_ROLE)
                        .pathMatchers("/api/v1/audit", "/api/v1/audit/**").hasAnyRole(ADMIN_ROLE, "AUDITOR")
                        .pathMatchers("/api/v1/pool", "/api/v1/pool/**", "/api/v1/blueprints",
                                "/api/v1/blueprints/**").hasAnyRole(ADMIN_ROLE, "INSTRUCTOR")
                        .pathMatchers(HttpMethod.POST, "/api/v1/ranges", "/api/v1/ranges/*/redeploy")
                        .hasAnyRole(ADMIN_ROLE, "INSTRUCTOR")
                        .pathMatchers(HttpMethod.DELETE, "/api/v1/ranges/*").hasAnyRole(ADMIN_ROLE, "INSTRUCTOR")
                        .pathMatchers("/api/v1/ranges/*/assignments/**").hasAnyRole(ADMIN_ROLE, "INSTRUCTOR")
                        .pathMatchers(HttpMethod.POST, "/api/v1/ranges/*/vms/**")
                        .hasAnyRole(ADMIN_ROLE, "INSTRUCTOR", "TRAINEE")
                        .pathMatchers(HttpMethod.GET, "/api/v1/ranges", "/api/v1/ranges/**")
                        .hasAnyRole(ADMIN_ROLE, "INSTRUCTOR", "TRAINEE", "AUDITOR")
                        // any other method: let the application answer it (405), signed in with some role
                        .pathMatchers("/api/v1/ranges", "/api/v1/ranges/**")
                        .hasAnyRole(ADMIN_ROLE, "INSTRUCTOR", "TRAINEE", "AUDITOR")
                        .anyExchange().authenticated())
                .httpBasic(basic -> basic.authenticationManager(authentication)
                        .authenticationEntryPoint(ProblemAnswers.unauthorized()))
                .exceptionHandling(refusals -> refusals.authenticationEntryPoint(ProblemAnswers.unauthorized())
                        .accessDeniedHandler(ProblemAnswers.forbidden()))
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                // a page's console WebSocket: ?ticket= on the console paths only (docs/security.md)
                .addFilterAt(ConsoleTicketSignIn.filter(tickets, users), SecurityWebFiltersOrder.AUTHENTICATION)
                .build();
    }

    /**
     * The password check, with verified credentials remembered for {@code cyroid.security.credential-cache}
     * (CYROID_CREDENTIAL_CACHE, 60 s; 0 turns it off). An unknown user name costs a full hash too, against a
     * password nobody knows, so the answer time does not tell which names exist.
     */
    @Bean
    CachedCredentials authenticationManager(CurrentUsers users, PasswordEncoder encoder,
                                            @Value("${cyroid.security.credential-cache:60s}") Duration ttl) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String nobodysHash = encoder.encode(Base64.getEncoder().encodeToString(random));
        // the built-in admin, then the accounts in the event store (read off the event loop), then nobody
        ReactiveUserDetailsService anyName = name -> users.find(name)
                .switchIfEmpty(Mono.fromSupplier(() -> User.withUsername(name).password(nobodysHash).roles()
                        .build()));
        UserDetailsRepositoryReactiveAuthenticationManager check =
                new UserDetailsRepositoryReactiveAuthenticationManager(anyName);
        check.setPasswordEncoder(encoder);
        return new CachedCredentials(check, ttl, Clock.systemUTC());
    }

    @Bean
    CurrentUsers currentUsers(MapReactiveUserDetailsService builtIn, Accounts accounts) {
        return new CurrentUsers(builtIn, accounts);
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    MapReactiveUserDetailsService users(@Value("${cyroid.security.admin-password:}") String password,
                                        PasswordEncoder encoder) {
        String effective = password;
        if (effective == null || effective.isBlank()) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            effective = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            log.warn("CYROID_ADMIN_PASSWORD is not set; generated password for user '{}': {}", ADMIN, effective);
        }
        return new MapReactiveUserDetailsService(User.withUsername(ADMIN).password(encoder.encode(effective))
                .roles("ADMIN").build());
    }
}
