package io.cyroid.security;

import io.cyroid.api.Blocking;
import io.cyroid.api.user.Accounts;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import reactor.core.publisher.Mono;

/**
 * The users who sign in with a password, as they are now: the built-in admin, then the accounts in the event store
 * (read off the event loop). Empty for a name that is neither (never created, or removed).
 */
final class CurrentUsers {

    private final MapReactiveUserDetailsService builtIn;
    private final Accounts accounts;

    CurrentUsers(MapReactiveUserDetailsService builtIn, Accounts accounts) {
        this.builtIn = builtIn;
        this.accounts = accounts;
    }

    Mono<UserDetails> find(String name) {
        return builtIn.findByUsername(name)
                .switchIfEmpty(Mono.fromCallable(() -> accounts.find(name).map(account -> User.withUsername(name)
                                .password(account.passwordHash())
                                .roles(account.roles().stream().map(Enum::name).toArray(String[]::new)).build())
                        .orElse(null)).subscribeOn(Blocking.SCHEDULER));
    }
}
