package io.cyroid.api.range;

import io.cyroid.api.ForbiddenException;
import java.security.Principal;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Which ranges a user may see, use and manage (docs/security.md). Roles decide the paths (SecurityConfiguration);
 * this decides the range: ADMIN every range; AUDITOR sees every range and changes none; INSTRUCTOR sees, uses and
 * manages (destroys, redeploys, assigns) the ranges they created or that were shared with them; TRAINEE sees and uses
 * (VM actions, consoles) the ranges assigned to them.
 */
final class RangeAccess {

    private RangeAccess() {
    }

    static Set<String> roles(Principal user) {
        if (user instanceof Authentication authentication) {
            return authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                    .filter(role -> role.startsWith("ROLE_")).map(role -> role.substring(5))
                    .collect(Collectors.toSet());
        }
        return Set.of();
    }

    private static boolean involved(Principal user, String createdBy, List<String> assignees) {
        return user.getName().equals(createdBy) || (assignees != null && assignees.contains(user.getName()));
    }

    static boolean canSee(Principal user, String createdBy, List<String> assignees) {
        Set<String> roles = roles(user);
        return roles.contains("ADMIN") || roles.contains("AUDITOR")
                || ((roles.contains("INSTRUCTOR") || roles.contains("TRAINEE")) && involved(user, createdBy, assignees));
    }

    static boolean canUse(Principal user, String createdBy, List<String> assignees) {
        Set<String> roles = roles(user);
        return roles.contains("ADMIN")
                || ((roles.contains("INSTRUCTOR") || roles.contains("TRAINEE")) && involved(user, createdBy, assignees));
    }

    static boolean canManage(Principal user, String createdBy, List<String> assignees) {
        Set<String> roles = roles(user);
        return roles.contains("ADMIN") || (roles.contains("INSTRUCTOR") && involved(user, createdBy, assignees));
    }

    static void require(boolean allowed, Principal user, String what, String rangeId) {
        if (!allowed) {
            throw new ForbiddenException(user.getName() + " may not " + what + " range " + rangeId);
        }
    }
}
