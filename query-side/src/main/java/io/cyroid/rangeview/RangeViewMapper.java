package io.cyroid.rangeview;

import io.cyroid.messages.RangeSummary;
import io.cyroid.messages.RangeView;
import org.mapstruct.Mapping;
import org.mapstruct.Mapper;
import org.mapstruct.factory.Mappers;

@Mapper
public interface RangeViewMapper {
    RangeViewMapper INSTANCE = Mappers.getMapper(RangeViewMapper.class);

    RangeView toView(RangeDocument document);

    @Mapping(target = "position", source = "position", defaultValue = "0L")
    RangeSummary toSummary(RangeDocument document);

    RangeView.Dind toView(RangeDocument.Dind dind);

    RangeView.Network toView(RangeDocument.Network network);

    RangeView.Vm toView(RangeDocument.Vm vm);
}
