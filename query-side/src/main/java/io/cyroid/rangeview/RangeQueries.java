package io.cyroid.rangeview;

import io.cyroid.messages.FindRange;
import io.cyroid.messages.ListRanges;
import io.cyroid.messages.RangeView;
import java.util.Comparator;
import java.util.List;
import io.cyroid.messages.RangeSummary;
import io.cyroid.messages.WatchRanges;
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

    /** Ranges changed after the position, oldest change first (documents without a position count as 0). */
    @QueryHandler
    public List<RangeSummary> handle(WatchRanges query) {
        return mongo.findAll(RangeDocument.class).stream().map(mapper::toSummary)
                .filter(summary -> summary.position() > query.after())
                .sorted(Comparator.comparingLong(RangeSummary::position)).toList();
    }
}
