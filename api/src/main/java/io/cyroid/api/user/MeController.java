package io.cyroid.api.user;

import io.cyroid.messages.Role;
import io.swagger.v3.oas.annotations.Operation;
import java.security.Principal;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Who is signed in, with which roles: what a client (the web UI) shows and offers, for any signed-in user. */
@RestController
public class MeController {

    public record Me(String username, Set<Role> roles) {
    }

    @Operation(summary = "The signed-in user and their roles (Basic account, built-in admin or bearer token)")
    @GetMapping(path = "/api/v1/me", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Me> me(Principal user) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (user instanceof Authentication authentication) {
            for (GrantedAuthority authority : authentication.getAuthorities()) {
                for (Role role : Role.values()) {
                    if (("ROLE_" + role.name()).equals(authority.getAuthority())) {
                        roles.add(role);
                    }
                }
            }
        }
        return Mono.just(new Me(user.getName(), roles));
    }
}
