using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Calendars;
using SlaGrains.Testing;

namespace SlaGrains.Grains.Tests.Customers;

/// <summary>
/// Issue 20 — exclusions on the customer grain: a month closed after a reclassification closes with the excluded class
/// taken out of the measured period (like announced maintenance), and with a class the contract does not exclude as it
/// would have without it. March 2026 in Berlin, one critical monitor down an hour on the 10th (99.86 % of 99.9 %).
/// </summary>
public sealed class ReclassificationTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private static readonly YearMonth March = new(2026, 3);
    private static readonly Interval Outage = new(Instant.FromUtc(2026, 3, 10, 10, 0), Instant.FromUtc(2026, 3, 10, 11, 0));
    private readonly SqliteCluster _cluster = fixture.Cluster;

    [Theory]
    [InlineData(ExclusionClass.ForceMajeure, 0, 60, true)]
    [InlineData(ExclusionClass.CustomerCaused, 60, 0, false)]
    public async Task A_month_closed_after_a_reclassification_excludes_only_what_the_contract_excludes(ExclusionClass cause, int downMinutes, int excludedMinutes, bool met)
    {
        var id = $"customer-{Guid.NewGuid():N}";
        var monitor = $"monitor-{Guid.NewGuid():N}";
        var agreement = new ServiceAgreement(id, 99.9m, 1000m, "EUR")
        {
            Exclusions = new([new(ExclusionClass.ForceMajeure, true, "Acts of God."), new(ExclusionClass.CustomerCaused, false, "Customer changes count.")]),
        };
        var grain = _cluster.Grains.GetGrain<IMonitorGrain>(monitor);
        Assert.True((await grain.Configure(new MonitorSettings(id, monitor, true, 1, 99.98m, StaleAfter: MeasuredHistory.StaleAfter))).Accepted);
        Assert.True((await grain.IngestBatch([.. MeasuredHistory.Between(Instant.FromUtc(2026, 2, 1, 0, 0), Instant.FromUtc(2026, 4, 15, 0, 0), Outage)])).Accepted);
        var customer = _cluster.Grains.GetGrain<ICustomerGrain>(id);
        Assert.True((await customer.SetAgreement(agreement)).Accepted);
        Assert.True((await customer.SetCalendar(BusinessCalendar.Create("Europe/Berlin", WeeklySchedule.Weekdays("09:00", "17:00")))).Accepted);
        Assert.True((await customer.SetComponents([new CustomerComponent(monitor, true)])).Accepted);

        var recorded = await customer.Reclassify(new IncidentReclassification($"{monitor}-1", monitor, Outage.Start, Outage.End, cause, null, null, "Why.", "mona"));
        var closed = await customer.CloseMonth(March);

        Assert.True(recorded.Accepted, recorded.Rejection?.Message);
        Assert.Equal(cause == ExclusionClass.ForceMajeure, recorded.Classification!.Excluded);
        Assert.Empty(recorded.Classification.AdjustedMonths);
        Assert.Equal(Duration.FromMinutes(downMinutes), closed.Month!.Downtime);
        Assert.Equal(Duration.FromMinutes(excludedMinutes), closed.Month.Excluded);
        Assert.Equal(met, closed.Month.SlaMet);
        Assert.Equal(met ? 0m : 100m, closed.Credit!.Amount);
        Assert.Single(await customer.GetClassifications($"{monitor}-1"));
    }
}
