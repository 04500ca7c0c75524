using SlaGrains.Contracts.Serialization;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;
using static SlaGrains.Contracts.Tests.Serialization.OrleansRoundTrip;

namespace SlaGrains.Contracts.Tests.Serialization;

/// <summary>Warning thresholds survive storage, and targets stored before they existed still load.</summary>
public sealed class WarningThresholdSurrogateTests
{
    [Fact]
    public void Priority_targets_and_ticket_targets_keep_their_warnings_both_ways()
    {
        var targets = new PriorityTargets(Duration.FromHours(1), Duration.FromHours(4), warnings: new WarningThresholds([50, 75, 90]));
        foreach (var (way, copy) in BothWays(targets))
        {
            Assert.True(targets == copy, way);
            Assert.Equal<int>([50, 75, 90], copy.Warnings.Percents);
        }

        var ticket = targets.For(BusinessCalendar.AlwaysOpen);
        foreach (var (way, copy) in BothWays(ticket))
        {
            Assert.True(ticket == copy, way);
        }

        var none = new PriorityTargets(Duration.FromHours(1), Duration.FromHours(4), warnings: new WarningThresholds([]));
        Assert.Empty(ThroughBytes(none).Warnings.Percents);
    }

    [Fact]
    public void Targets_stored_before_warnings_existed_load_with_the_default_and_the_ticket_s_options()
    {
        var oldPolicyTargets = Serializer.SerializeToArray(new PriorityTargetsSurrogate { FirstResponse = Duration.FromHours(1), Resolution = Duration.FromHours(4), Coverage = 1 });
        var oldTicketTargets = ThroughBytes(new PriorityTargets(Duration.FromHours(1), Duration.FromHours(4)).For(BusinessCalendar.AlwaysOpen) with { Warnings = null });

        Assert.Equal(WarningThresholds.Default, Serializer.Deserialize<PriorityTargets>(oldPolicyTargets)!.Warnings);
        Assert.Null(oldTicketTargets.Warnings);
    }
}
