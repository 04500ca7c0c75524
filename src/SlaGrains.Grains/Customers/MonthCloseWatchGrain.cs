using Microsoft.Extensions.DependencyInjection;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Notifications;

namespace SlaGrains.Grains.Customers;

/// <summary>The watch's durable state.</summary>
[GenerateSerializer]
[Alias("slagrains.month-close-watch-state")]
public sealed class MonthCloseWatchState
{
    /// <summary>Per customer: the next month it will close and when that month ends.</summary>
    [Id(0)]
    public Dictionary<string, ExpectedClose> Expected { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Alerts raised and not yet resolved, per customer.</summary>
    [Id(1)]
    public Dictionary<string, MonthCloseOverdue> Overdue { get; set; } = new(StringComparer.Ordinal);

    /// <summary>When the durable reminder will next wake the watch; null when none is registered.</summary>
    [Id(2)]
    public Instant? ReminderDueAt { get; set; }
}

/// <summary>A month a customer will close next.</summary>
[GenerateSerializer]
[Alias("slagrains.expected-close")]
public sealed record ExpectedClose([property: Id(0)] YearMonth Month, [property: Id(1)] Instant MonthEnd);

/// <summary>
/// The month-close watch: a durable deadline at the earliest unalerted month end + grace. It does not close months
/// itself (that is the customer's deadline); it tells managers when a close did not happen, which a silo outage, a
/// storage failure or a customer that cannot compute its month would otherwise leave silent.
/// </summary>
public sealed class MonthCloseWatchGrain(
    [PersistentState("month-close-watch")] IPersistentState<MonthCloseWatchState> state,
    [FromKeyedServices(SlaTime.Key)] TimeProvider time,
    ISlaNotifications notifications,
    ILogger<MonthCloseWatchGrain> logger) : Grain, IMonthCloseWatchGrain, IRemindable
{
    private const string ReminderName = "month-close-watch";
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(1);

    private DurableDeadline Deadline => _deadline ??= new(this, ReminderName, TimeSpan.FromMinutes(1), Check);

    private DurableDeadline? _deadline;

    private MonthCloseWatchState Watch => state.State;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Deadline.ArmTimer(NextCheck(), time.Now(), LongestTimer, clampToHorizon: true);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task Expect(string customerId, YearMonth month, Instant monthEnd)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        if (Watch.Expected.TryGetValue(customerId, out var known) && known.Month >= month)
        {
            return;
        }

        Watch.Expected[customerId] = new ExpectedClose(month, monthEnd);
        if (Watch.Overdue.TryGetValue(customerId, out var alert) && alert.Month < month)
        {
            Watch.Overdue.Remove(customerId);
            logger.LogInformation("Customer {Customer}: month {Month} closed after its alert", customerId, alert.Month);
        }

        await Arm(time.Now());
    }

    /// <inheritdoc />
    public Task<ImmutableArray<MonthCloseOverdue>> GetOverdue()
        => Task.FromResult(Watch.Overdue.Values.OrderBy(o => o.MonthEnd).ThenBy(o => o.CustomerId, StringComparer.Ordinal).ToImmutableArray());

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ReminderName)
        {
            Watch.ReminderDueAt = null;
            await Check();
        }
    }

    /// <summary>Alerts every expected close past its month end + grace that is not alerted yet, then re-arms.</summary>
    private async Task Check()
    {
        var now = time.Now();
        var raised = new List<MonthCloseOverdue>();
        foreach (var (customerId, expected) in Watch.Expected)
        {
            var alerted = Watch.Overdue.TryGetValue(customerId, out var open) && open.Month == expected.Month;
            if (!alerted && expected.MonthEnd + IMonthCloseWatchGrain.Grace <= now)
            {
                var overdue = new MonthCloseOverdue(customerId, expected.Month, expected.MonthEnd, now);
                Watch.Overdue[customerId] = overdue;
                raised.Add(overdue);
            }
        }

        await Arm(now);
        foreach (var overdue in raised)
        {
            logger.LogWarning("Customer {Customer}: month {Month} not closed {Grace} after its end", overdue.CustomerId, overdue.Month, IMonthCloseWatchGrain.Grace);
            notifications.Publish(new MonthCloseOverdueRaised(now, overdue));
        }
    }

    /// <summary>The earliest month end + grace not alerted yet; null when every expected close is alerted.</summary>
    private Instant? NextCheck()
        => Watch.Expected
            .Where(e => !(Watch.Overdue.TryGetValue(e.Key, out var open) && open.Month == e.Value.Month))
            .Select(e => (Instant?)(e.Value.MonthEnd + IMonthCloseWatchGrain.Grace))
            .Min();

    private async Task Arm(Instant now)
    {
        var next = NextCheck();
        Watch.ReminderDueAt = await Deadline.ArmReminder(next, Watch.ReminderDueAt, now);
        await state.WriteStateAsync();
        Deadline.ArmTimer(next, now, LongestTimer, clampToHorizon: true);
    }
}
