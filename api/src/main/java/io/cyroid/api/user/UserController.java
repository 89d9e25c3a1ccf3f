package io.cyroid.api.user;

import io.cyroid.api.Blocking;
import io.cyroid.api.ConflictException;
import io.cyroid.api.InvalidRequestException;
import io.cyroid.api.NotFoundException;
import io.cyroid.api.StrictBody;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.cyroid.blueprint.Violation;
import io.cyroid.messages.CreateUser;
import io.cyroid.messages.ListUsers;
import io.cyroid.messages.RemoveUser;
import io.cyroid.messages.Role;
import io.cyroid.messages.UserCreated;
import io.cyroid.messages.UserView;
import io.swagger.v3.oas.annotations.Operation;
import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** User accounts (ADMIN only, by the security rules). Passwords are hashed here; only the hash is recorded. */
@RestController
@RequestMapping("/api/v1/users")
public class UserController {

    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{0,63}");
    static final int MIN_PASSWORD = 12;
    static final int MAX_PASSWORD = 128;
    /** The built-in administrator: configured, not an account (SecurityConfiguration). */
    static final String BUILT_IN = "admin";

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final Accounts accounts;
    private final PasswordEncoder encoder;
    private final ObjectMapper json;

    public UserController(CommandGateway commands, QueryGateway queries, Accounts accounts, PasswordEncoder encoder,
                          ObjectMapper json) {
        this.json = json;
        this.commands = commands;
        this.queries = queries;
        this.accounts = accounts;
        this.encoder = encoder;
    }

    public record NewUser(String username, String password, Set<Role> roles) {
    }

    @Operation(summary = "Create a user with a password (12-128 characters) and roles (ADMIN, INSTRUCTOR, TRAINEE,"
            + " AUDITOR); 409 when the name is taken")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<UserView> create(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                                         schema = @Schema(implementation = NewUser.class)))
                                 @RequestBody JsonNode body, Principal admin) {
        NewUser request;
        try {
            request = StrictBody.read(body, NewUser.class, json, "the user");
        } catch (InvalidRequestException e) {
            return Mono.error(e);
        }
        List<Violation> violations = new ArrayList<>();
        if (request.username() == null || !NAME.matcher(request.username()).matches()) {
            violations.add(new Violation("username", "is required: 1-64 lower-case letters, digits, '.', '_' or '-',"
                    + " starting with a letter"));
        }
        if (request.password() == null || request.password().length() < MIN_PASSWORD
                || request.password().length() > MAX_PASSWORD) {
            violations.add(new Violation("password", "is required: " + MIN_PASSWORD + " to " + MAX_PASSWORD
                    + " characters"));
        }
        if (request.roles() == null || request.roles().isEmpty() || request.roles().contains(null)) {
            violations.add(new Violation("roles", "is required: one or more of " + EnumSet.allOf(Role.class)));
        }
        if (!violations.isEmpty()) {
            return Mono.error(new InvalidRequestException("the user is invalid", violations));
        }
        if (BUILT_IN.equals(request.username())) {
            return Mono.error(new ConflictException("user " + BUILT_IN + " is built in"));
        }
        Set<Role> roles = EnumSet.copyOf(request.roles());
        // bcrypt is slow on purpose: off the event loop, like the command
        return Blocking.call(() -> {
            String hash = encoder.encode(request.password());
            commands.sendAndWait(new CreateUser(UserCreated.idOf(request.username()), request.username(), hash,
                    roles, admin.getName()), MetaData.with("user", admin.getName()));
            return new UserView(request.username(), roles, admin.getName(), Instant.now());
        });
    }

    @Operation(summary = "Every user, by name (the built-in admin first)")
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<List<UserView>> list() {
        return Blocking.call(() -> {
            List<UserView> users = new ArrayList<>();
            users.add(new UserView(BUILT_IN, EnumSet.of(Role.ADMIN), null, null));
            users.addAll(queries.query(new ListUsers(), ResponseTypes.multipleInstancesOf(UserView.class)).join());
            return users;
        });
    }

    @Operation(summary = "One user")
    @GetMapping(path = "/{username}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<UserView> get(@PathVariable String username) {
        return list().flatMap(users -> Mono.justOrEmpty(users.stream()
                        .filter(user -> user.username().equals(username)).findFirst()))
                .switchIfEmpty(Mono.error(() -> new NotFoundException("no user " + username)));
    }

    @Operation(summary = "Remove a user: their name signs in no longer, at once; ranges they created stay")
    @DeleteMapping(path = "/{username}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> remove(@PathVariable String username, Principal admin) {
        if (BUILT_IN.equals(username)) {
            return Mono.error(new ConflictException("user " + BUILT_IN + " is built in: it cannot be removed"));
        }
        return Blocking.call(() -> {
            if (accounts.find(username).isEmpty()) {
                throw new NotFoundException("no user " + username);
            }
            commands.sendAndWait(new RemoveUser(UserCreated.idOf(username), admin.getName()),
                    MetaData.with("user", admin.getName()));
            return true;
        }).then();
    }
}
