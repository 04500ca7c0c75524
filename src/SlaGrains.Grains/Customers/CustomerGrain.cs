using Microsoft.Extensions.DependencyInjection;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Credits;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Grains.Customers;

/// <summary>
/// A customer: contract, calendar, tier with overrides, components and open tickets; the status rolled up from its
/// monitors (<see cref="CustomerStatus"/>); and the month close in its own zone, computed by the domain
/// (<see cref="ReportingPeriod"/>, <see cref="CustomerAvailability"/>, <see cref="ServiceAgreement.Report"/>,
/// <see cref="MonthlyCredit"/>). Each command: change → write → publish → reply.
/// </summary>
/// <remarks>
/// <para><b>Month close is a durable deadline.</b> Once contract and calendar are set, the customer waits for the end of
/// <see cref="CustomerState.NextMonthToClose"/> (local midnight of the next 1st in the calendar's zone): a grain timer
/// while active, an Orleans reminder as the backstop, so a deactivated customer or one whose silo died is woken and
/// closes every month that ended meanwhile, then re-arms for the next. The deadline calls <see cref="CloseMonth"/>,
/// which is idempotent by month: a month in the history is returned as stored, never recomputed, so a reminder
/// ticking twice, a timer and a reminder racing, or a manual close never produce a second history entry or credit.
/// The grain is not reentrant, so two closes of one month never run at once.</para>
/// <para><b>Reference instant.</b> Every computation takes now from the injected <see cref="TimeProvider"/>; a month is
/// closed only once it is over at that instant.</para>
/// </remarks>
public sealed partial class CustomerGrain(
    [PersistentState("customer")] IPersistentState<CustomerState> state,
    [FromKeyedServices(SlaTime.Key)] TimeProvider time,
    ISlaNotifications notifications,
    ITicketReadModel tickets,
    ILogger<CustomerGrain> logger) : Grain, ICustomerGrain, IRemindable
{
    internal const string ReminderName = "month-close";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(1);

    private DurableDeadline Deadline => _deadline ??= new(this, ReminderName, ReminderPeriod, CloseDueMonths);

    private DurableDeadline? _deadline;

    private CustomerState Customer => state.State;

    private string CustomerId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A month that ended while the customer was not active is closed by the timer, just after activation.
        ArmTimer(time.Now());
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<CustomerResult> SetAgreement(ServiceAgreement agreement)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        if (agreement.CustomerId != CustomerId)
        {
            return Rejected("agreement-for-another-customer", $"The agreement is for '{agreement.CustomerId}', not '{CustomerId}'.");
        }

        Customer.Agreement = agreement;
        return await Changed(retarget: null);
    }

    /// <inheritdoc />
    public async Task<CustomerResult> SetCalendar(BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        Customer.Calendar = calendar;
        return await Changed(retarget: $"Business calendar changed to {calendar}.");
    }

    /// <inheritdoc />
    public async Task<CustomerResult> SetTier(SlaPolicy tier, SlaClockOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tier);
        Customer.Tier = tier;
        Customer.ClockOptions = options;
        return await Changed(retarget: $"SLA tier changed to {tier.Name}.");
    }

    /// <inheritdoc />
    public async Task<CustomerResult> SetOverride(TicketPriority priority, PriorityTargets targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        Customer.Overrides[priority] = targets;
        return await Changed(retarget: $"Bespoke targets for {priority}.");
    }

    /// <inheritdoc />
    public async Task<CustomerResult> ClearOverride(TicketPriority priority)
    {
        if (!Customer.Overrides.Remove(priority))
        {
            return new CustomerResult(View(time.Now()), null);
        }

        return await Changed(retarget: $"Bespoke targets for {priority} removed.");
    }

    /// <inheritdoc />
    public async Task<CustomerResult> SetComponents(ImmutableArray<CustomerComponent> components)
    {
        var list = components.IsDefault ? [] : components.ToList();
        if (list.Any(c => string.IsNullOrWhiteSpace(c.MonitorId)) || list.Select(c => c.MonitorId).Distinct(StringComparer.Ordinal).Count() != list.Count)
        {
            return Rejected("invalid-components", "Each component needs a monitor id, and each monitor may appear once.");
        }

        Customer.Components = list;
        var result = await Changed(retarget: null);
        await UpdateStatus(time.Now());
        return result;
    }

    /// <inheritdoc />
    public Task<TicketTermsResult> TermsFor(TicketPriority priority)
    {
        if (Policy() is not { } policy || Customer.Calendar is not { } calendar)
        {
            return Task.FromResult(new TicketTermsResult(null, new Rejection(
                "customer-not-configured", $"Customer '{CustomerId}' needs an SLA tier and a business calendar before tickets get targets.")));
        }

        var terms = new TicketTerms(policy.For(priority).For(calendar), Customer.ClockOptions ?? SlaClockOptions.Default);
        return Task.FromResult(new TicketTermsResult(terms, null));
    }

    /// <inheritdoc />
    public async Task TrackTicket(string ticketId, TicketPriority priority)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ticketId);
        if (Customer.OpenTickets.TryGetValue(ticketId, out var known) && known == priority)
        {
            return;
        }

        Customer.OpenTickets[ticketId] = priority;
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task UntrackTicket(string ticketId)
    {
        if (Customer.OpenTickets.Remove(ticketId) | Customer.RetargetPending.Remove(ticketId))
        {
            await state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public async Task<CustomerStatusView> ReportComponentStatus(string monitorId, ComponentHealth health, Instant at)
    {
        var isDown = health == ComponentHealth.Down;
        var changed = isDown ? Customer.DownMonitors.Add(monitorId) : Customer.DownMonitors.Remove(monitorId);
        if (changed)
        {
            await state.WriteStateAsync();
        }

        return await UpdateStatus(at);
    }

    /// <inheritdoc />
    public Task<CustomerStatusView> GetStatus() => Task.FromResult(StatusView(time.Now()));

    /// <inheritdoc />
    public Task<CustomerView?> Get()
    {
        var c = Customer;
        var empty = c.Agreement is null && c.Calendar is null && c.Tier is null && c.Components.Count == 0 && c.OpenTickets.Count == 0;
        return Task.FromResult(empty ? null : View(time.Now()));
    }

    /// <inheritdoc />
    public async Task<MonthCloseResult> CloseMonth(YearMonth month)
    {
        var result = await Close(month, time.Now());
        if (result.Accepted && !result.AlreadyClosed)
        {
            await ArmDeadline(time.Now());
        }

        await FollowUp();
        return result;
    }

    /// <inheritdoc />
    public Task<ImmutableArray<MonthlyAvailability>> GetHistory(int months)
        => Task.FromResult(Customer.History.OrderByDescending(h => h.Month).Take(Math.Max(0, months)).ToImmutableArray());

    /// <inheritdoc />
    public Task<ImmutableArray<CreditEntry>> GetCredits()
        => Task.FromResult(Customer.Credits.OrderByDescending(c => c.Month).ToImmutableArray());

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        // The reminder ticked at a month end: forget its due time so that, once the month is closed, it is
        // re-registered for the next month's end instead of ticking every period until then.
        Customer.ReminderDueAt = null;
        await CloseDueMonths();
    }

    /// <summary>Closes every month whose end has passed, in order, then re-arms for the next month's end.</summary>
    private async Task CloseDueMonths()
    {
        var now = time.Now();
        while (Customer.NextMonthToClose is { } month && Customer.Calendar is { } calendar
            && ReportingPeriod.Month(month, calendar.Zone).End <= now)
        {
            var result = await Close(month, now);
            if (!result.Accepted)
            {
                logger.LogWarning("Customer {Customer}: month {Month} not closed: {Reason}", CustomerId, month, result.Rejection!.Message);
                break;
            }
        }

        await ArmDeadline(now);
        await FollowUp();
    }

    /// <summary>
    /// Closes <paramref name="month"/> exactly once: a month already in the history is returned as stored; otherwise
    /// asks each component's monitor for the month's downtime, computes with the domain, writes the history entry and
    /// the credit together, then publishes.
    /// </summary>
    private async Task<MonthCloseResult> Close(YearMonth month, Instant now)
    {
        if (Customer.History.FirstOrDefault(h => h.Month == month) is { } closed)
        {
            return new MonthCloseResult(closed, Customer.Credits.First(c => c.Month == month), AlreadyClosed: true, null);
        }

        if (Customer.Agreement is not { } agreement || Customer.Calendar is not { } calendar)
        {
            return new MonthCloseResult(null, null, false, new Rejection(
                "customer-not-configured", $"Customer '{CustomerId}' needs a contract and a business calendar to close a month."));
        }

        var zone = calendar.Zone;
        var period = ReportingPeriod.Month(month, zone);
        if (period.End > now)
        {
            return new MonthCloseResult(null, null, false, new Rejection(
                "month-not-over", $"{month} in {zone.Id} ends at {period.End}; it is {now}."));
        }

        var availability = await Availability(period, agreement);
        var sla = availability.Sla;
        var targets = agreement.Report(sla.UptimePercent, period.Duration, sla.Excluded);
        var slaBudget = ErrorBudget.Of(sla, agreement.SlaTargetPercent);
        var sloBudget = ErrorBudget.Of(sla, agreement.SloTargetPercent);
        var monthly = MonthlyCredit.Compute(CustomerId, month, sla.UptimePercent, agreement.CreditTerms, now);
        var credit = CreditEntry.From(monthly);

        var entry = new MonthlyAvailability(
            month, zone.Id, period, sla.UptimePercent, sla.Downtime, sla.Excluded, availability.Degraded,
            agreement.SlaTargetPercent, targets.Sla.Met, agreement.SloTargetPercent, targets.Slo.Met,
            slaBudget.Budget, slaBudget.Remaining, sloBudget.Budget, sloBudget.Remaining,
            credit.Key, credit.Amount, credit.Currency, now, now - period.End);

        Customer.History.Add(entry);
        Customer.History.Sort((a, b) => a.Month.CompareTo(b.Month));
        if (Customer.Credits.All(c => c.Key != credit.Key))
        {
            Customer.Credits.Add(credit);
            Customer.Credits.Sort((a, b) => a.Month.CompareTo(b.Month));
            Customer.AgreementsAtClose[credit.Key] = agreement;
        }

        // Written with the credit, so the notice shares its idempotency: a month closes once, so once noticed.
        var notice = monthly.Result.Met || Customer.Notices.Any(n => n.CreditKey == credit.Key)
            ? null
            : await CreditNoticeFor(monthly, period, sla.Downtime);
        if (notice is not null)
        {
            Customer.Notices.Add(notice);
            Customer.NoticeWebhooksPending.Add(notice.NoticeId);
        }

        while (Customer.NextMonthToClose is { } next && Customer.History.Any(h => h.Month == next))
        {
            Customer.NextMonthToClose = next.PlusMonths(1);
        }

        ArchiveLater(month);
        await state.WriteStateAsync();
        notifications.Publish(new MonthClosed(now, CustomerId, entry, credit));
        if (notice is not null)
        {
            SendCreditNotice(notice);
        }

        await ProjectLedger();
        return new MonthCloseResult(entry, credit, AlreadyClosed: false, null);
    }

    /// <summary>
    /// The customer's availability over <paramref name="period"/> from each component's monitor: downtime of critical
    /// components is the customer's; maintenance announced on critical components is excluded under the contract's notice.
    /// </summary>
    private async Task<CustomerAvailability> Availability(Interval period, ServiceAgreement agreement)
        => (await AvailabilityWithMaintenance(period, agreement)).Availability;

    /// <summary>As <see cref="Availability"/>, with the critical components' maintenance windows it weighed.</summary>
    private async Task<(CustomerAvailability Availability, List<ExcludedMaintenance> Maintenance)> AvailabilityWithMaintenance(Interval period, ServiceAgreement agreement)
    {
        var components = Customer.Components;
        var evidence = await Task.WhenAll(components.Select(c => GrainFactory.GetGrain<IMonitorGrain>(c.MonitorId).GetDowntime(period)));
        var downtime = components.Select((c, i) => new ComponentDowntime(new Component(c.MonitorId, c.IsCritical), evidence[i].DownIntervals)).ToList();
        var maintenance = components.Select((c, i) => (c, evidence[i]))
            .Where(x => x.c.IsCritical)
            .SelectMany(x => x.Item2.Maintenance.Select(m => new ExcludedMaintenance(x.c.MonitorId, m)))
            .ToList();
        return (CustomerAvailability.Compute(period, downtime, maintenance.Select(m => m.Window.Window), agreement.MaintenanceNotice), maintenance);
    }

    /// <inheritdoc />
    public async Task<PeriodAvailability?> GetAvailability(Interval period)
    {
        if (Customer.Agreement is not { } agreement)
        {
            return null;
        }

        var (availability, maintenance) = await AvailabilityWithMaintenance(period, agreement);
        var sla = availability.Sla;
        var excluded = maintenance
            .Where(m => m.Window.Window.IsExcluded(agreement.MaintenanceNotice) && m.Window.Start < period.End && m.Window.End > period.Start)
            .ToImmutableArray();
        return new PeriodAvailability(
            period, sla.UptimePercent, sla.Downtime, sla.Excluded, agreement.SlaTargetPercent, sla.Met(agreement.SlaTargetPercent),
            [.. availability.Components.Select(c => new ComponentPeriodAvailability(c.Component.Id, c.Component.IsCritical, c.Report.UptimePercent, c.Report.Downtime))],
            excluded);
    }

    /// <inheritdoc />
    public async Task<MonthToDate?> GetMonthToDate()
    {
        if (Customer.Agreement is not { } agreement || Customer.Calendar is not { } calendar)
        {
            return null;
        }

        var now = time.Now();
        var month = now.InZone(calendar.Zone).Date.ToYearMonth();
        var whole = ReportingPeriod.Month(month, calendar.Zone);
        var soFar = new Interval(whole.Start, now);
        var availability = await Availability(soFar, agreement);
        var sla = availability.Sla;
        var targets = agreement.Report(sla.UptimePercent, soFar.Duration, sla.Excluded);

        // The month's whole budget: what the commitment allows over the month, less what is excluded so far.
        var measured = (decimal)(whole.Duration - sla.Excluded).ToInt64Nanoseconds();
        var budget = Duration.FromNanoseconds((long)(measured * (100m - agreement.SlaTargetPercent) / 100m));
        var credit = agreement.CreditFor(sla.UptimePercent);
        return new MonthToDate(
            month, calendar.Zone.Id, whole, sla.UptimePercent, sla.Downtime, sla.Excluded, availability.Degraded,
            agreement.SlaTargetPercent, targets.Sla.Met, agreement.SloTargetPercent, targets.Slo.Met,
            budget, budget - sla.Downtime, credit.CreditPercent, credit.Amount, credit.Currency, now);
    }

    /// <summary>After a configuration change: start the month-close deadline once possible, write, re-target open tickets.</summary>
    private async Task<CustomerResult> Changed(string? retarget)
    {
        var now = time.Now();
        if (Customer.NextMonthToClose is null && Customer.Agreement is not null && Customer.Calendar is { } calendar)
        {
            Customer.NextMonthToClose = ReportingPeriod.MonthContaining(now, calendar.Zone);
        }

        if (retarget is not null)
        {
            // Open tickets: those tracked explicitly and those the tickets table lists as not closed.
            foreach (var (ticketId, priority) in await tickets.NotClosedAsync(CustomerId))
            {
                Customer.OpenTickets[ticketId] = priority;
            }

            Customer.RetargetPending.UnionWith(Customer.OpenTickets.Keys);
        }

        await ArmDeadline(now, write: false);
        await state.WriteStateAsync();
        if (retarget is not null)
        {
            await Retarget(retarget);
        }

        await FollowUp();
        return new CustomerResult(View(now), null);
    }

    /// <summary>
    /// Gives every open ticket its targets under the current policy and calendar; the ticket keeps its elapsed time.
    /// Tickets that could not be reached stay pending and are retried at the next change.
    /// </summary>
    private async Task Retarget(string reason)
    {
        if (Policy() is not { } policy || Customer.Calendar is not { } calendar)
        {
            return;
        }

        var pending = Customer.RetargetPending.Where(Customer.OpenTickets.ContainsKey).ToList();
        var outcomes = await Task.WhenAll(pending.Select(async id =>
        {
            try
            {
                var targets = policy.For(Customer.OpenTickets[id]).For(calendar);
                var result = await GrainFactory.GetGrain<ITicketGrain>(id).ChangeTargets(targets, reason);
                var gone = result.Rejection?.Code is "ticket-not-found" or "ticket-closed";
                return (id, done: true, gone);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "Customer {Customer}: ticket {Ticket} not re-targeted yet", CustomerId, id);
                return (id, done: false, gone: false);
            }
        }));

        foreach (var (id, done, gone) in outcomes)
        {
            if (done)
            {
                Customer.RetargetPending.Remove(id);
            }

            if (gone)
            {
                Customer.OpenTickets.Remove(id);
            }
        }

        Customer.RetargetPending.IntersectWith(Customer.OpenTickets.Keys);
        await state.WriteStateAsync();
    }

    private async Task<CustomerStatusView> UpdateStatus(Instant at)
    {
        var view = StatusView(at);
        if (view.Status != Customer.Status)
        {
            Customer.Status = view.Status;
            await state.WriteStateAsync();
            notifications.Publish(new CustomerStatusChanged(at, view));
        }

        return view;
    }

    /// <summary>The tier with the customer's bespoke overrides applied (<see cref="SlaPolicy.WithOverride"/>).</summary>
    private SlaPolicy? Policy()
    {
        if (Customer.Tier is not { } tier || Customer.Overrides.Count == 0)
        {
            return Customer.Tier;
        }

        var custom = Customer.Overrides.OrderBy(o => o.Key).Aggregate(tier, (policy, o) => policy.WithOverride(o.Key, o.Value));
        return new SlaPolicy($"{tier.Name} (custom)", custom.Targets);
    }

    /// <summary>The end of the next month to close, in the customer's zone; null when none is pending.</summary>
    private Instant? NextCloseAt()
        => Customer.NextMonthToClose is { } month && Customer.Calendar is { } calendar ? ReportingPeriod.Month(month, calendar.Zone).End : null;

    /// <summary>A reminder due no later than the next month end (the durable backstop) and a timer for it.</summary>
    private async Task ArmDeadline(Instant now, bool write = true)
    {
        var next = NextCloseAt();
        if (next is null)
        {
            return;
        }

        var registered = await Deadline.ArmReminder(next, Customer.ReminderDueAt, now);
        if (registered != Customer.ReminderDueAt)
        {
            Customer.ReminderDueAt = registered;
            if (write)
            {
                await state.WriteStateAsync();
            }
        }

        ArmTimer(now);
    }

    /// <summary>A fresh one-shot timer for the next month end, precise while active (at most a day, then re-armed).</summary>
    private void ArmTimer(Instant now) => Deadline.ArmTimer(NextCloseAt(), now, LongestTimer, clampToHorizon: true);

    private CustomerStatusView StatusView(Instant at)
    {
        var states = Customer.Components.Select(c => new ComponentState(new Component(c.MonitorId, c.IsCritical), Customer.DownMonitors.Contains(c.MonitorId)));
        var down = Customer.Components.Where(c => Customer.DownMonitors.Contains(c.MonitorId)).Select(c => c.MonitorId).Order(StringComparer.Ordinal);
        return new CustomerStatusView(CustomerId, CustomerStatus.Of(states), [.. down], at);
    }

    private CustomerView View(Instant now) => new(
        CustomerId, Customer.Agreement, Customer.Calendar, Customer.Tier, Policy(), [.. Customer.Components],
        [.. Customer.OpenTickets.Keys.Order(StringComparer.Ordinal)], StatusView(now), Customer.NextMonthToClose, NextCloseAt());

    private CustomerResult Rejected(string code, string message)
    {
        var c = Customer;
        var configured = c.Agreement is not null || c.Calendar is not null || c.Tier is not null || c.Components.Count > 0;
        return new(configured ? View(time.Now()) : null, new Rejection(code, message));
    }
}
