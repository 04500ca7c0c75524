using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Testing;

namespace SlaGrains.Application.Tests.Customers;

/// <summary>The data coverage a period needs to be judged is a contract term: set, shown, bounded, and used at the month close.</summary>
public sealed class CoverageTermTests(ApplicationWorld world) : IClassFixture<ApplicationWorld>
{
    private static readonly YearMonth March = new(2026, 3);

    private CustomerCommands Commands => world.Get<CustomerCommands>();

    private CustomerQueries Queries => world.Get<CustomerQueries>();

    private static ContractRequest Contract(decimal? minimumCoveragePercent)
        => new(99.9m, null, 1000m, "EUR", null, null, null, minimumCoveragePercent);

    private async Task<ContractResponse?> StoredContract(string customer)
        => (await Queries.Configuration(world.Manager, customer)).Value?.View?.Agreement is { } a ? ContractResponse.From(a) : null;

    [Fact]
    public async Task A_contract_needing_80_percent_coverage_reads_back_with_80_and_one_without_it_with_90()
    {
        var needing80 = await world.CustomerAsync();
        var byDefault = await world.CustomerAsync();

        var saved = await Commands.SetContract(world.Manager, needing80, Contract(80m));
        await Commands.SetContract(world.Manager, byDefault, Contract(null));

        Assert.Equal(80m, saved.Value!.Contract!.MinimumCoveragePercent);
        Assert.Equal(80m, (await StoredContract(needing80))!.MinimumCoveragePercent);
        Assert.Equal(90m, (await StoredContract(byDefault))!.MinimumCoveragePercent);
        Assert.Equal(80m, ContractRequest.From((await StoredContract(needing80))!).MinimumCoveragePercent);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("80.123")]
    [InlineData("0.5")]
    public async Task A_coverage_term_outside_1_to_100_or_with_more_than_2_decimals_is_invalid_naming_the_field_and_changes_nothing(string percent)
    {
        var customer = await world.CustomerAsync();
        Assert.True((await Commands.SetContract(world.Manager, customer, Contract(85m))).Succeeded);

        var refused = await Commands.SetContract(world.Manager, customer, Contract(decimal.Parse(percent, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(FailureKind.Invalid, refused.Failure!.Kind);
        Assert.Equal(["minimumCoveragePercent"], refused.Failure.Errors!.Keys);
        Assert.Equal(85m, (await StoredContract(customer))!.MinimumCoveragePercent);
    }

    /// <summary>
    /// March 2026 measured every 12 hours except between 28 February 12:00 and 5 March 00:00: with a one-day stale-after
    /// the monitor has no data from 1 March 12:00 to 5 March (84 of 744 hours, coverage 88.7 %), and the API is down an
    /// hour on 10 March (99.85 % of the measured time, under 99.9 %).
    /// </summary>
    private async Task<CreditEntry> CloseMarchAsync(decimal? minimumCoveragePercent)
    {
        var id = await world.CustomerAsync();
        var monitor = $"m-{id}";
        var down = Instant.FromUtc(2026, 3, 10, 10, 0);
        var probe = world.Grains.GetGrain<IMonitorGrain>(monitor);
        Assert.True((await probe.Configure(new MonitorSettings(id, "API", true, 1, 99.98m, StaleAfter: MeasuredHistory.StaleAfter))).Accepted);
        var history = MeasuredHistory.Between(Instant.FromUtc(2026, 2, 1, 0, 0), Instant.FromUtc(2026, 3, 1, 0, 0))
            .Concat(MeasuredHistory.Between(Instant.FromUtc(2026, 3, 5, 0, 0), Instant.FromUtc(2026, 4, 15, 0, 0), new Interval(down, down + Duration.FromHours(1))));
        Assert.True((await probe.IngestBatch([.. history])).Accepted);
        Assert.True((await Commands.SetContract(world.Manager, id, Contract(minimumCoveragePercent))).Succeeded);
        var customer = world.Grains.GetGrain<ICustomerGrain>(id);
        Assert.True((await customer.SetComponents([new CustomerComponent(monitor, true)])).Accepted);
        var closed = await customer.CloseMonth(March);
        Assert.True(closed.Accepted, closed.Rejection?.Message);
        return Assert.Single(await customer.GetCredits(), c => c.Month == March);
    }

    [Fact]
    public async Task A_closed_month_at_89_percent_coverage_is_missed_with_a_credit_under_a_contract_needing_80_and_insufficient_data_by_default()
    {
        var under80 = await CloseMarchAsync(80m);
        var byDefault = await CloseMarchAsync(null);

        Assert.False(under80.InsufficientData);
        Assert.False(under80.Met);
        Assert.Equal(100m, under80.Amount);
        Assert.True(byDefault.InsufficientData);
        Assert.Equal(0m, byDefault.Amount);
    }
}
