package io.cyroid.rangeview;

import io.cyroid.messages.FindRange;
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
        mongo.save(range);
        updates.emit(FindRange.class, query -> query.rangeId().equals(range.rangeId), mapper.toView(range));
    }

    @Override
    public void clear() {
        mongo.dropCollection(RangeDocument.class);
    }
}
