package bridge.housing.domain;

import java.util.List;

/** One page of release plans with their open alerts, as the caller may see them. */
public record ReleasePlanPage(List<PlanWithAlerts> plans, String nextPageToken, boolean withheldFromCaller) {

    public record PlanWithAlerts(ReleasePlan plan, List<ReleaseAlert> alerts) {
    }

    public ReleasePlanPage {
        plans = List.copyOf(plans);
    }
}
