package io.cyroid.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * JWT bearer tokens from an OpenID Connect provider, beside HTTP Basic. Off while {@code jwkSetUri} is empty.
 *
 * @param jwkSetUri     the provider's key set (its {@code jwks_uri}); tokens are checked against these keys
 * @param issuer        when set, a token's {@code iss} must be exactly this
 * @param audience      when set, a token's {@code aud} must contain it
 * @param rolesClaim    the claim with the user's Cyroid roles (a list of ADMIN, INSTRUCTOR, TRAINEE, AUDITOR)
 * @param usernameClaim the claim with the user name that ranges are assigned to; {@code sub} when absent
 */
@ConfigurationProperties("cyroid.security.oidc")
public record OidcProperties(String jwkSetUri, String issuer, String audience, String rolesClaim,
                             String usernameClaim) {

    public OidcProperties {
        rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? "roles" : rolesClaim;
        usernameClaim = usernameClaim == null || usernameClaim.isBlank() ? "preferred_username" : usernameClaim;
    }

    public boolean enabled() {
        return jwkSetUri != null && !jwkSetUri.isBlank();
    }
}
