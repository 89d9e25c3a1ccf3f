package io.cyroid.security;

import io.cyroid.messages.Role;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import reactor.core.publisher.Mono;

/** How a bearer token becomes a user with roles: the provider's signature, times, issuer and audience, then claims. */
final class BearerTokens {

    private BearerTokens() {
    }

    static ReactiveJwtDecoder decoder(OidcProperties oidc) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(oidc.jwkSetUri()).build();
        List<OAuth2TokenValidator<Jwt>> checks = new ArrayList<>();
        checks.add(oidc.issuer() == null || oidc.issuer().isBlank() ? JwtValidators.createDefault()
                : JwtValidators.createDefaultWithIssuer(oidc.issuer()));
        if (oidc.audience() != null && !oidc.audience().isBlank()) {
            checks.add(jwt -> jwt.getAudience() != null && jwt.getAudience().contains(oidc.audience())
                    ? OAuth2TokenValidatorResult.success()
                    : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                    "the token is not for audience " + oidc.audience(), null)));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(checks));
        return decoder;
    }

    /** Roles from the configured claim; names that are not Cyroid roles are ignored, so a token may carry others. */
    static Converter<Jwt, Mono<AbstractAuthenticationToken>> users(OidcProperties oidc) {
        return jwt -> {
            Collection<GrantedAuthority> authorities = new ArrayList<>();
            Object claim = jwt.getClaims().get(oidc.rolesClaim());
            if (claim instanceof Collection<?> roles) {
                for (Object role : roles) {
                    EnumSet.allOf(Role.class).stream().filter(known -> known.name().equals(String.valueOf(role)))
                            .forEach(known -> authorities.add(new SimpleGrantedAuthority("ROLE_" + known.name())));
                }
            }
            String name = jwt.getClaimAsString(oidc.usernameClaim());
            return Mono.just(new JwtAuthenticationToken(jwt, authorities, name == null ? jwt.getSubject() : name));
        };
    }
}
