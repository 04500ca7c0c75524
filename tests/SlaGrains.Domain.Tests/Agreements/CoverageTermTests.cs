using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Customers;

namespace SlaGrains.Domain.Tests.Agreements;

/// <summary>The data coverage a period needs to be judged is a contract term (default 90 %).</summary>
public class CoverageTermTests
{
    private static readonly YearMonth June = new(2026, 6);
    private static readonly Interval June2026 = ReportingPeriod.Month(June, DateTimeZone.Utc);
    private static readonly Component Api = new("api", isCritical: true);
    private static readonly Instant ClosedAt = Instant.FromUtc(2026, 7, 1, 1, 0);

    /// <summary>June with 4.5 days of no data (85 % coverage) and 2 hours down in the measured 25.5 days (99.67 %).</summary>
    private static CustomerAvailability JuneAt85PercentCoverage() => CustomerAvailability.Compute(June2026,
    [
        new ComponentDowntime(
            Api,
            [new Interval(Instant.FromUtc(2026, 6, 20, 10, 0), Instant.FromUtc(2026, 6, 20, 12, 0))],
            [new Interval(Instant.FromUtc(2026, 6, 1, 0, 0), Instant.FromUtc(2026, 6, 5, 12, 0))]),
    ]);

    [Fact]
    public void A_month_at_85_percent_coverage_is_insufficient_data_under_the_default_and_missed_with_a_credit_under_a_contract_needing_80()
    {
        var availability = JuneAt85PercentCoverage();
        var byDefault = new ServiceAgreement("acme", 99.9m, 1000m, "EUR");
        var needing80 = new ServiceAgreement("acme", 99.9m, 1000m, "EUR", minimumCoveragePercent: 80m);

        var underDefault = MonthClose.Compute("acme", June, "UTC", availability, byDefault, ClosedAt);
        var under80 = MonthClose.Compute("acme", June, "UTC", availability, needing80, ClosedAt);

        Assert.Equal(85m, availability.Sla.CoveragePercent);
        Assert.Equal(90m, byDefault.MinimumCoveragePercent);
        Assert.Equal(TargetVerdict.InsufficientData, underDefault.SlaVerdict);
        Assert.Null(underDefault.Credit);
        Assert.Equal(90m, underDefault.MinimumCoveragePercent);
        Assert.Equal(TargetVerdict.Missed, under80.SlaVerdict);
        Assert.NotNull(under80.Credit);
        Assert.True(under80.Credit.Amount > 0m);
        Assert.Equal(80m, under80.MinimumCoveragePercent);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100.01)]
    public void A_coverage_term_outside_0_to_100_is_refused_naming_the_field(decimal percent)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new ServiceAgreement("acme", 99.9m, 1000m, "EUR", minimumCoveragePercent: percent));

        Assert.Equal("minimumCoveragePercent", error.ParamName);
    }
}
