package io.cyroid.messages;

import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordImagesSeeded(@TargetAggregateIdentifier String rangeId, List<String> images)
        implements RangeCommands {
}
