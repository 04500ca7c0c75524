using SlaGrains.Application.Credits;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Domain.Credits;

namespace SlaGrains.Application.Tests.Credits;

/// <summary>Credit queries: a customer's notices, disputes and ledger for its own users and staff only; trends and overdue month closes for admins and managers.</summary>
public sealed class CreditQueriesTests(ApplicationWorld world) : IClassFixture<ApplicationWorld>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private CreditQueries Queries => world.Get<CreditQueries>();

    private CreditCommands Commands => world.Get<CreditCommands>();

    [Fact]
    public async Task A_customers_notices_disputes_and_ledger_are_its_own_users_and_staffs_and_look_unknown_to_another_customer()
    {
        var customer = await CreditScenario.MissedMarchAsync(world);
        var own = ApplicationWorld.CustomerUser(customer);
        var stranger = ApplicationWorld.CustomerUser(await world.CustomerAsync(), "sam");
        Assert.True((await Commands.FileDispute(own, customer, new DisputeInput(CreditScenario.March, 99.8m))).Succeeded);

        var notice = Assert.Single((await Queries.Notices(own, customer)).Value);
        var dispute = Assert.Single((await Queries.Disputes(world.Technician, customer)).Value);
        var credit = Assert.Single((await Queries.Ledger(world.Manager, customer)).Value);

        Assert.Equal((10m, 100m), (notice.CreditPercent, notice.Amount));
        Assert.Equal(DisputeStatus.Filed, dispute.Status);
        Assert.Equal(CreditScenario.March, credit.Month);
        Assert.Equal(FailureKind.NotFound, (await Queries.Notices(stranger, customer)).Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, (await Queries.Disputes(stranger, customer)).Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, (await Queries.Ledger(stranger, customer)).Failure!.Kind);
        Assert.Equal(FailureKind.NotFound, (await Queries.Notices(world.Manager, "no-such-customer")).Failure!.Kind);
    }

    [Fact]
    public async Task Disputes_across_customers_put_open_ones_first_and_show_a_customer_user_only_its_own()
    {
        var resolvedOne = await CreditScenario.MissedMarchAsync(world);
        var openOne = await CreditScenario.MissedMarchAsync(world);
        var dispute = new DisputeInput(CreditScenario.March, 99.8m);
        Assert.True((await Commands.FileDispute(ApplicationWorld.CustomerUser(resolvedOne), resolvedOne, dispute)).Succeeded);
        Assert.True((await Commands.FileDispute(ApplicationWorld.CustomerUser(openOne), openOne, dispute)).Succeeded);
        Assert.True((await Commands.ResolveDispute(world.Manager, resolvedOne, "dispute-2026-03", new DisputeRulingInput(DisputeVerdict.Accept))).Succeeded);

        var all = await Queries.VisibleDisputes(world.Manager);
        var own = await Queries.VisibleDisputes(ApplicationWorld.CustomerUser(resolvedOne));

        Assert.Equal([openOne, resolvedOne], all.Select(d => d.CustomerId).Where(c => c == openOne || c == resolvedOne));
        Assert.True(all.SkipWhile(d => d.Status == DisputeStatus.Filed).All(d => d.Status != DisputeStatus.Filed), "an open dispute comes after a resolved one");
        Assert.Equal([resolvedOne], own.Select(d => d.CustomerId));
    }

    [Fact]
    public async Task Credit_trends_are_for_admins_and_managers()
    {
        var customer = await CreditScenario.MissedMarchAsync(world);

        var trends = await Queries.Trends(world.Manager);
        var byTechnician = await Queries.Trends(world.Technician);
        var byCustomer = await Queries.Trends(ApplicationWorld.CustomerUser(customer));

        var march = Assert.Single(trends.Value!.Currencies.Single(c => c.Currency == "EUR").Months, m => m.Month == CreditScenario.March);
        Assert.True(march.AccountsWithCredits >= 1);
        Assert.Equal(FailureKind.Forbidden, byTechnician.Failure!.Kind);
        Assert.Equal(FailureKind.Forbidden, byCustomer.Failure!.Kind);
    }

    [Fact]
    public async Task A_month_close_overdue_past_its_grace_is_listed_for_managers_and_refused_to_others()
    {
        var late = $"c-late-{Guid.NewGuid():N}"[..16];
        var month = new YearMonth(2026, 10);
        var monthEnd = SystemClock.Instance.GetCurrentInstant() - IMonthCloseWatchGrain.Grace - Duration.FromSeconds(5);
        using var stop = new CancellationTokenSource(Bound);
        await using var feed = world.Get<ISlaNotifications>().Subscribe(stop.Token).GetAsyncEnumerator(stop.Token);
        var next = feed.MoveNextAsync();

        await world.Grains.GetGrain<IMonthCloseWatchGrain>(IMonthCloseWatchGrain.Key).Expect(late, month, monthEnd);
        while (true)
        {
            // The watch alerts on its own timer; the feed is bounded by the token, so a missing alert fails the test.
            Assert.True(await next, "the notification feed ended");
            if (feed.Current is MonthCloseOverdueRaised { Overdue.CustomerId: var raised } && raised == late)
            {
                break;
            }

            next = feed.MoveNextAsync();
        }

        var overdue = await Queries.OverdueMonthCloses(world.Manager);
        var byTechnician = await Queries.OverdueMonthCloses(world.Technician);
        var byCustomer = await Queries.OverdueMonthCloses(ApplicationWorld.CustomerUser(late));

        Assert.Equal(month, Assert.Single(overdue.Value, o => o.CustomerId == late).Month);
        Assert.Equal(FailureKind.Forbidden, byTechnician.Failure!.Kind);
        Assert.Equal(FailureKind.Forbidden, byCustomer.Failure!.Kind);
    }
}
