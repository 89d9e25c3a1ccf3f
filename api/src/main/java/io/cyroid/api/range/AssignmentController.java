package io.cyroid.api.range;

import io.cyroid.api.Blocking;
import io.cyroid.api.InvalidRequestException;
import io.cyroid.api.NotFoundException;
import io.cyroid.api.user.Accounts;
import io.cyroid.blueprint.Violation;
import io.cyroid.messages.AssignRange;
import io.cyroid.messages.Role;
import io.cyroid.messages.UnassignRange;
import org.springframework.beans.factory.annotation.Value;
import io.swagger.v3.oas.annotations.Operation;
import java.security.Principal;
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Who else may see and use a range: a trainee assigned to it, or an instructor it is shared with (who may then manage
 * it like its creator). Only an ADMIN, or an instructor who may manage the range, assigns.
 */
@RestController
@RequestMapping("/api/v1/ranges/{id}/assignments")
public class AssignmentController {

    private final RangeController ranges;
    private final Accounts accounts;
    private final CommandGateway commands;
    /** Users of an OpenID Connect provider may have no account here. */
    private final boolean outsideUsers;

    public AssignmentController(RangeController ranges, Accounts accounts, CommandGateway commands,
                                @Value("${cyroid.security.oidc.jwk-set-uri:}") String jwkSetUri) {
        this.outsideUsers = !jwkSetUri.isBlank();
        this.ranges = ranges;
        this.accounts = accounts;
        this.commands = commands;
    }

    public record Assignment(String rangeId, String username, boolean assigned) {
    }

    @Operation(summary = "Assign the range to a trainee, or share it with an instructor (idempotent); 404 for an"
            + " unknown user, 400 for a user who is neither trainee nor instructor")
    @PutMapping(path = "/{username}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Assignment> assign(@PathVariable String id, @PathVariable String username, Principal user) {
        return ranges.find(id, user, "assign", RangeAccess::canManage)
                .then(Blocking.call(() -> {
                    var account = accounts.find(username);
                    if (account.isEmpty() && !outsideUsers) {
                        throw new NotFoundException("no user " + username);
                    }
                    // a user of the OpenID Connect provider has no account here: their roles are in their tokens
                    if (account.isPresent() && !account.get().roles().contains(Role.TRAINEE)
                            && !account.get().roles().contains(Role.INSTRUCTOR)) {
                        throw new InvalidRequestException("the assignment is invalid", List.of(new Violation(
                                "username", username + " is neither a trainee nor an instructor")));
                    }
                    commands.sendAndWait(new AssignRange(id, username, user.getName()),
                            MetaData.with("user", user.getName()));
                    return new Assignment(id, username, true);
                }));
    }

    @Operation(summary = "Take the range away from a trainee or instructor (idempotent)")
    @DeleteMapping(path = "/{username}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Assignment> unassign(@PathVariable String id, @PathVariable String username, Principal user) {
        return ranges.find(id, user, "unassign", RangeAccess::canManage)
                .then(Blocking.call(() -> {
                    commands.sendAndWait(new UnassignRange(id, username, user.getName()),
                            MetaData.with("user", user.getName()));
                    return new Assignment(id, username, false);
                }));
    }
}
