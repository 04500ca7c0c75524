using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Availability;
using static SlaGrains.Contracts.Tests.Serialization.OrleansRoundTrip;

namespace SlaGrains.Contracts.Tests.Monitors;

/// <summary>A budget alert's id reads back into its parts; a view stored before acknowledgements existed loads unacknowledged.</summary>
public sealed class BudgetAlertViewTests
{
    private static readonly Instant Started = Instant.FromUtc(2026, 12, 5, 23, 30);

    [Theory]
    [InlineData("api", "page-fast")]
    [InlineData("eu.api.v2", "ticket")]
    [InlineData("m-1_2", "page-slow")]
    [InlineData("api", "latency-page-fast")]
    public void An_id_reads_back_into_its_monitor_alert_and_start(string monitorId, string name)
    {
        foreach (var startedAt in new[] { Started, Instant.FromUnixTimeTicks(-1), Started + Duration.FromTicks(1) })
        {
            Assert.True(BudgetAlertView.TryParseId(BudgetAlertView.IdOf(monitorId, name, startedAt), out var monitor, out var alert, out var at));
            Assert.Equal((monitorId, name, startedAt), (monitor, alert, at));
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("api")]
    [InlineData("page-fast.123")]
    [InlineData(".page-fast.123")]
    [InlineData("api..123")]
    [InlineData("api.page-fast.")]
    [InlineData("api.page-fast.12x")]
    [InlineData("api.page-fast.99999999999999999999")]
    public void Not_an_id_of_a_budget_alert(string? alertId)
        => Assert.False(BudgetAlertView.TryParseId(alertId, out _, out _, out _));

    [Theory]
    [InlineData("page-fast", "availability")]
    [InlineData("ticket", "availability")]
    [InlineData("latency-page-fast", "latency")]
    [InlineData("latency-ticket", "latency")]
    public void An_alert_says_its_sli_by_its_name_so_alerts_stored_before_latency_read_as_availability(string name, string sli)
    {
        var alert = new BudgetAlertView(
            BudgetAlertView.IdOf("api", name, Started), "api", "acme", "API", name, AlertSeverity.Page, 14.4m,
            Duration.FromHours(1), Duration.FromMinutes(5), 20m, 20m, Started, null);

        Assert.Equal(sli, alert.Sli);
    }

    [Fact]
    public void A_view_stored_before_acknowledgements_existed_loads_unacknowledged()
    {
        var previous = new PreviousBudgetAlertView(
            "api.page-fast.1", "api", "acme", "API", "page-fast", AlertSeverity.Page, 14.4m,
            Duration.FromHours(1), Duration.FromMinutes(5), 500m, 1000m, Started, null);

        var loaded = Serializer.Deserialize<BudgetAlertView>(Serializer.SerializeToArray(previous))!;

        Assert.Equal(
            new BudgetAlertView("api.page-fast.1", "api", "acme", "API", "page-fast", AlertSeverity.Page, 14.4m, Duration.FromHours(1), Duration.FromMinutes(5), 500m, 1000m, Started, null),
            loaded);
        Assert.False(loaded.IsAcknowledged);
        Assert.Null(loaded.AcknowledgedBy);
    }

    [Fact]
    public void An_acknowledged_view_round_trips()
    {
        var acknowledged = new BudgetAlertView(
            "api.page-fast.1", "api", "acme", "API", "page-fast", AlertSeverity.Page, 14.4m,
            Duration.FromHours(1), Duration.FromMinutes(5), 500m, 1000m, Started, null, Started + Duration.FromMinutes(3), "erin");

        foreach (var (way, copy) in BothWays(acknowledged))
        {
            Assert.True(acknowledged == copy, way);
        }
    }
}

/// <summary>The fields <see cref="BudgetAlertView"/> had in the previous version (ids 0–12), as it wrote them.</summary>
[GenerateSerializer]
public sealed record PreviousBudgetAlertView(
    [property: Id(0)] string AlertId,
    [property: Id(1)] string MonitorId,
    [property: Id(2)] string CustomerId,
    [property: Id(3)] string ComponentName,
    [property: Id(4)] string Name,
    [property: Id(5)] AlertSeverity Severity,
    [property: Id(6)] decimal Factor,
    [property: Id(7)] Duration LongWindow,
    [property: Id(8)] Duration ShortWindow,
    [property: Id(9)] decimal LongWindowBurnRate,
    [property: Id(10)] decimal ShortWindowBurnRate,
    [property: Id(11)] Instant StartedAt,
    [property: Id(12)] Instant? StoppedAt);
