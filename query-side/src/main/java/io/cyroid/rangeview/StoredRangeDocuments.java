package io.cyroid.rangeview;

import io.cyroid.messages.FindRange;
import io.cyroid.messages.RangeSummary;
import io.cyroid.messages.WatchRanges;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/** The live read model: documents in the read store, and every saved state sent to the range's subscribers. */
@Component
class StoredRangeDocuments implements RangeDocuments {

    private final MongoTemplate mongo;
    private final QueryUpdateEmitter updates;
    private final RangeViewMapper mapper = RangeViewMapper.INSTANCE;

    StoredRangeDocuments(MongoTemplate mongo, QueryUpdateEmitter updates) {
        this.mongo = mongo;
        this.updates = updates;
    }

    @Override
    public RangeDocument find(String rangeId) {
        return mongo.findById(rangeId, RangeDocument.class);
    }

    @Override
    public void save(RangeDocument range) {
        range.position = position();
        mongo.save(range);
        updates.emit(FindRange.class, query -> query.rangeId().equals(range.rangeId), mapper.toView(range));
        RangeSummary summary = mapper.toSummary(range);
        updates.emit(WatchRanges.class, query -> true, summary);
    }

    /** The global position of the event being projected: the processor handles it in a unit of work. */
    private static Long position() {
        if (CurrentUnitOfWork.isStarted()
                && CurrentUnitOfWork.get().getMessage() instanceof TrackedEventMessage<?> tracked) {
            return tracked.trackingToken().position().stream().boxed().findFirst().orElse(null);
        }
        return null;
    }

    @Override
    public void clear() {
        mongo.dropCollection(RangeDocument.class);
    }
}
