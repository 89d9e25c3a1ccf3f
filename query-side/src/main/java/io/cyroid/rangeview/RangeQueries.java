package io.cyroid.rangeview;

import io.cyroid.messages.FindRange;
import io.cyroid.messages.ListRanges;
import io.cyroid.messages.RangeView;
import java.util.List;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/** Answers the range queries from the read model that {@link RangeProjection} builds. */
@Component
public class RangeQueries {

    private final MongoTemplate mongo;
    private final RangeViewMapper mapper = RangeViewMapper.INSTANCE;

    public RangeQueries(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @QueryHandler
    public RangeView handle(FindRange query) {
        RangeDocument range = mongo.findById(query.rangeId(), RangeDocument.class);
        return range == null ? null : mapper.toView(range);
    }

    @QueryHandler
    public List<RangeView> handle(ListRanges query) {
        return mongo.find(new Query().with(Sort.by(Sort.Direction.DESC, "createdAt")), RangeDocument.class)
                .stream().map(mapper::toView).toList();
    }
}
