package io.cyroid.directory;

import io.cyroid.messages.ListUsers;
import io.cyroid.messages.Role;
import io.cyroid.messages.UserCreated;
import io.cyroid.messages.UserRemoved;
import io.cyroid.messages.UserView;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * The list of users for the users API. Not what a sign-in checks: that reads the account's own events, so a removed
 * user cannot sign in a moment longer because this list lags. No password hash is kept here.
 */
@Component
@ProcessingGroup(UserDirectory.PROCESSING_GROUP)
public class UserDirectory {

    public static final String PROCESSING_GROUP = "user-directory";

    @Document("users")
    record UserDocument(@Id String username, Set<Role> roles, String createdBy, Instant createdAt) {
    }

    private final MongoTemplate mongo;

    public UserDirectory(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** Writes the whole document: a re-delivered event writes the same again. */
    @EventHandler
    void on(UserCreated event, @Timestamp Instant at) {
        mongo.save(new UserDocument(event.username(), event.roles(), event.createdBy(), at));
    }

    @EventHandler
    void on(UserRemoved event) {
        mongo.remove(Query.query(org.springframework.data.mongodb.core.query.Criteria.where("_id")
                .is(event.username())), UserDocument.class);
    }

    @ResetHandler
    void reset() {
        mongo.dropCollection(UserDocument.class);
    }

    @QueryHandler
    public List<UserView> handle(ListUsers query) {
        return mongo.find(new Query().with(Sort.by("_id")), UserDocument.class).stream()
                .map(user -> new UserView(user.username(), user.roles(), user.createdBy(), user.createdAt()))
                .toList();
    }
}
