using Microsoft.Extensions.DependencyInjection;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Credits;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Customers;
using ClosedEvent = SlaGrains.Domain.Customers.MonthClosed;
using MonthClosed = SlaGrains.Contracts.Customers.MonthClosed;
using SetAgreement = SlaGrains.Domain.Customers.SetAgreement;
using SlaGrains.Domain.Tickets;
using SlaGrains.Grains.Shell;

namespace SlaGrains.Grains.Customers;

/// <summary>
/// A customer: a thin shell around <see cref="CustomerRules"/> (contract, calendar, tier with overrides, components,
/// the status rolled up from what its monitors report, open tickets, the month close with its coverage verdict and
/// credit). Each command: load → decide → write → publish → reply (<see cref="Execute"/>).
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
    IMonitorReadModel monitorRows,
    ILogger<CustomerGrain> logger) : Grain, ICustomerGrain, IRemindable
{
    internal const string ReminderName = "month-close";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(1);

    private DurableDeadline Deadline => _deadline ??= new(this, ReminderName, ReminderPeriod, CloseDueMonths);

    private DurableDeadline? _deadline;

    private CustomerState Customer => state.State;

    /// <summary>The domain's view of the stored state (the rules decide on it).</summary>
    private CustomerAccount Account => Customer.ToAccount(CustomerId);

    private string CustomerId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A month that ended while the customer was not active is closed by the timer, just after activation.
        ArmTimer(time.Now());
        ArmTermTimer(time.Now()); // Issue 20 — term and renewal: a reminder due while inactive is sent just after activation.
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<CustomerResult> SetAgreement(ServiceAgreement agreement)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        return Configure(new SetAgreement(agreement));
    }

    /// <inheritdoc />
    public Task<CustomerResult> SetCalendar(BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return Configure(new SetCalendar(calendar));
    }

    /// <inheritdoc />
    public Task<CustomerResult> SetTier(SlaPolicy tier, SlaClockOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tier);
        return Configure(new SetTier(tier, options));
    }

    /// <inheritdoc />
    public Task<CustomerResult> SetOverride(TicketPriority priority, PriorityTargets targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return Configure(new SetOverride(priority, targets));
    }

    /// <inheritdoc />
    public Task<CustomerResult> ClearOverride(TicketPriority priority) => Configure(new ClearOverride(priority));

    /// <inheritdoc />
    public Task<CustomerResult> SetComponents(ImmutableArray<CustomerComponent> components)
    {
        var list = components.IsDefault ? [] : components.ToList();
        if (list.Any(c => string.IsNullOrWhiteSpace(c.MonitorId)))
        {
            // The domain's component cannot be made without an id; the rules refuse duplicates the same way.
            return Task.FromResult(Rejected("invalid-components", "Each component needs a monitor id, and each monitor may appear once."));
        }

        return Configure(new SetComponents([.. list.Select(c => c.ToDomain())]));
    }

    /// <inheritdoc />
    public Task<TicketTermsResult> TermsFor(TicketPriority priority)
    {
        var account = Account;
        if (account.Policy() is not { } policy || account.Calendar is not { } calendar)
        {
            return Task.FromResult(new TicketTermsResult(null, new Rejection(
                "customer-not-configured", $"Customer '{CustomerId}' needs an SLA tier and a business calendar before tickets get targets.")));
        }

        var terms = new TicketTerms(policy.For(priority).For(calendar), account.ClockOptions ?? SlaClockOptions.Default);
        return Task.FromResult(new TicketTermsResult(terms, null));
    }

    /// <inheritdoc />
    public async Task TrackTicket(string ticketId, TicketPriority priority)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ticketId);
        await Execute([new TrackTicket(ticketId, priority)], time.Now());
    }

    /// <inheritdoc />
    public async Task UntrackTicket(string ticketId)
    {
        var pending = Customer.RetargetPending.Contains(ticketId);
        var decision = await Execute([new UntrackTicket(ticketId)], time.Now(), change: c => c.RetargetPending.Remove(ticketId));
        if (pending && decision.Events.IsEmpty)
        {
            await Commit(c => c.RetargetPending.Remove(ticketId));
        }
    }

    /// <inheritdoc />
    public async Task<CustomerStatusView> ReportComponentStatus(string monitorId, ComponentHealth health, Instant at)
    {
        var decision = await Execute([new ReportComponentHealth(monitorId, health, at)], at);
        return StatusView(decision.State, at);
    }

    /// <inheritdoc />
    public Task<CustomerStatusView> GetStatus() => Task.FromResult(StatusView(Account, time.Now()));

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
        if (reminderName == TermReminderName)
        {
            // Issue 20 — term and renewal: the notice reminders' own durable deadline.
            Customer.TermReminderDueAt = null;
            await CheckTermReminders();
            return;
        }

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
    /// Closes <paramref name="month"/> exactly once (<see cref="CustomerRules"/>): a month already closed is returned as
    /// stored; otherwise asks each component's monitor for the month's evidence and lets the rules decide the close.
    /// </summary>
    private async Task<MonthCloseResult> Close(YearMonth month, Instant now)
    {
        var (period, rejection) = CustomerRules.ClosablePeriod(Account, month, now);
        if (rejection is not null)
        {
            return new MonthCloseResult(null, null, false, rejection);
        }

        if (period is not { } closable)
        {
            return new MonthCloseResult(Customer.History.First(h => h.Month == month), Customer.Credits.First(c => c.Month == month), AlreadyClosed: true, null);
        }

        var (evidence, maintenance) = await Evidence(closable);
        var latency = await Latency(closable);
        var ticketClocks = await TicketClocks(closable);
        // Issue 20 — exclusions: reclassified time the contract excludes is excluded like announced maintenance.
        var decision = await Execute([new CloseMonth(month, evidence, [.. maintenance.Select(m => m.Window.Window), .. ExcludedWindows(Account.Agreement)], latency, ticketClocks)], now);
        return decision.Accepted
            ? new MonthCloseResult(Customer.History.First(h => h.Month == month), Customer.Credits.First(c => c.Month == month), AlreadyClosed: false, null)
            : new MonthCloseResult(null, null, false, decision.Rejection);
    }

    /// <summary>
    /// The month's latency checks over the components whose monitor has a latency SLO (from <c>check_results</c>), when
    /// the contract names a latency commitment (else null: nothing to credit, nothing read).
    /// </summary>
    private async Task<Domain.Credits.LatencyTally?> Latency(Interval period)
    {
        if (Customer.Agreement?.LatencyCommitmentPercent is null)
        {
            return null;
        }

        var views = await Task.WhenAll(Customer.Components.Select(c => GrainFactory.GetGrain<IMonitorGrain>(c.MonitorId).Get()));
        var tallies = await monitorRows.TalliesAsync(views, period);
        return tallies.Count == 0 ? null : tallies.Select(t => t.Tally).Aggregate((a, b) => a + b);
    }

    // Issue 20 — ticket-SLA credits
    /// <summary>
    /// The month's decided first-response and resolution clocks by metric and priority (from the <c>tickets</c> and
    /// <c>clock_transitions</c> tables), when the contract has ticket-SLA credit clauses (else null: nothing read).
    /// </summary>
    private async Task<IReadOnlyList<Domain.Credits.TicketClockCount>?> TicketClocks(Interval period)
        => Customer.Agreement is { TicketCredits.IsEmpty: false } ? await tickets.DecidedClocksAsync(CustomerId, period) : null;

    /// <summary>
    /// Each component's evidence over <paramref name="period"/> from its monitor (down and unknown intervals) and the
    /// critical components' maintenance windows. A configured monitor that has never had a result and says nothing
    /// about unknown time has no data over the whole period: missing data is never counted as up.
    /// </summary>
    private async Task<(List<ComponentDowntime> Components, List<ExcludedMaintenance> Maintenance)> Evidence(Interval period)
    {
        var components = Customer.Components;
        var monitors = components.Select(c => GrainFactory.GetGrain<IMonitorGrain>(c.MonitorId)).ToList();
        var evidence = await Task.WhenAll(monitors.Select(m => m.GetDowntime(period)));
        var views = await Task.WhenAll(monitors.Select(m => m.Get()));
        var downtime = components.Select((c, i) => new ComponentDowntime(
            new Component(c.MonitorId, c.IsCritical), evidence[i].DownIntervals, Unknown(evidence[i], views[i], period))).ToList();
        var maintenance = components.Select((c, i) => (c, evidence[i]))
            .Where(x => x.c.IsCritical)
            .SelectMany(x => x.Item2.Maintenance.Select(m => new ExcludedMaintenance(x.c.MonitorId, m)))
            .ToList();
        return (downtime, maintenance);
    }

    private static IReadOnlyList<Interval> Unknown(MonitorDowntime evidence, MonitorView? view, Interval period)
        => !evidence.UnknownIntervals.IsDefaultOrEmpty ? evidence.UnknownIntervals
            : view is null || view.LastResultAt is null ? [period]
            : [];

    /// <summary>The customer's availability over <paramref name="period"/> with the critical components' maintenance it weighed.</summary>
    private async Task<(CustomerAvailability Availability, List<ExcludedMaintenance> Maintenance)> AvailabilityWithMaintenance(Interval period, ServiceAgreement agreement)
    {
        var (measured, maintenance) = await Measure(period, agreement);
        return (measured.Availability, maintenance);
    }

    /// <inheritdoc />
    public async Task<PeriodAvailability?> GetAvailability(Interval period)
    {
        if (Customer.Agreement is not { } agreement)
        {
            return null;
        }

        var (measured, maintenance) = await Measure(period, agreement);
        var availability = measured.Availability;
        var sla = availability.Sla;
        var excluded = maintenance
            .Where(m => m.Window.Window.IsExcluded(agreement.MaintenanceNotice) && m.Window.Start < period.End && m.Window.End > period.Start)
            .ToImmutableArray();
        var verdict = sla.Verdict(agreement.SlaTargetPercent, agreement.MinimumCoveragePercent);
        return new PeriodAvailability(
            period, sla.UptimePercent, sla.Downtime, sla.Excluded, agreement.SlaTargetPercent, verdict == TargetVerdict.Met,
            [.. availability.Components.Select(c => new ComponentPeriodAvailability(c.Component.Id, c.Component.IsCritical, c.Report.UptimePercent, c.Report.Downtime, c.Report.CoveragePercent))],
            excluded, sla.Unknown, sla.CoveragePercent, verdict == TargetVerdict.InsufficientData, agreement.MinimumCoveragePercent,
            [.. sla.UnknownIntervals], ExcludedTimeView.From(measured.ExcludedByClass));
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
        var (measured, maintenance) = await Measure(soFar, agreement);
        var availability = measured.Availability;
        var sla = availability.Sla;
        var projection = MonthInProgress.Project(whole, sla, [.. maintenance.Select(m => m.Window.Window), .. ExcludedWindows(agreement)], agreement);
        var ifNothingElseFails = projection.CreditIfNothingElseFails;
        var atBurnRate = projection.CreditAtBurnRate;
        return new MonthToDate(
            month, calendar.Zone.Id, whole, sla.UptimePercent, sla.Downtime, sla.Excluded, availability.Degraded,
            agreement.SlaTargetPercent, projection.Outlook != MonthOutlook.NotMet, agreement.SloTargetPercent, projection.IfNothingElseFails.Met(agreement.SloTargetPercent),
            projection.Budget.Budget, projection.Budget.Remaining, ifNothingElseFails.CreditPercent, ifNothingElseFails.Amount, ifNothingElseFails.Currency, now,
            projection.Outlook, projection.IfNothingElseFails.UptimePercent, projection.UptimePercentAtBurnRate, projection.ProjectedDowntimeAtBurnRate,
            atBurnRate.CreditPercent, atBurnRate.Amount, sla.Unknown, sla.CoveragePercent, !sla.HasSufficientData(agreement.MinimumCoveragePercent),
            ExcludedTimeView.From(measured.ExcludedByClass));
    }

    /// <summary>
    /// A configuration command: decided with the tracked and not-closed tickets when it re-targets, written once, then
    /// the open tickets re-targeted (those not reached stay pending and are retried at the next change).
    /// </summary>
    private async Task<CustomerResult> Configure(CustomerCommand command)
    {
        var now = time.Now();
        var first = CustomerRules.Decide(Account, command, now);
        if (!first.Accepted)
        {
            return Rejected(first.Rejection!.Code, first.Rejection.Message);
        }

        var commands = new List<CustomerCommand> { command };
        var retarget = first.Events.OfType<OpenTicketsRetargeted>().FirstOrDefault();
        if (retarget is not null)
        {
            // Open tickets: those tracked explicitly and those the tickets table lists as not closed.
            commands.AddRange((await tickets.NotClosedAsync(CustomerId)).Select(t => new TrackTicket(t.TicketId, t.Priority)));
        }

        var decision = await Execute(commands, now, armDeadline: true);
        if (!decision.Accepted)
        {
            return Rejected(decision.Rejection!.Code, decision.Rejection.Message);
        }

        if (retarget is not null)
        {
            await Retarget(retarget.Reason);
        }

        await FollowUp();
        await CheckTermReminders(); // Issue 20 — a contract's new term may make a notice reminder due now, or later.
        return new CustomerResult(View(now), null);
    }

    /// <summary>
    /// The shell: load → decide each command on the state the previous left → arm the reminder → write state once
    /// through the shared <see cref="GrainShell"/> (with the history, ledger and notice a month close adds, and
    /// <paramref name="change"/>) → publish → reply. Nothing is written or published when rejected or when nothing
    /// happened; memory changes only inside the write.
    /// </summary>
    private async Task<CustomerDecision> Execute(IReadOnlyList<CustomerCommand> commands, Instant now, bool armDeadline = false, Action<CustomerState>? change = null)
    {
        var account = Account;
        var events = ImmutableArray.CreateBuilder<CustomerEvent>();
        foreach (var command in commands)
        {
            var decision = CustomerRules.Decide(account, command, now);
            if (!decision.Accepted)
            {
                return decision with { State = Account };
            }

            account = decision.State;
            events.AddRange(decision.Events);
        }

        var result = new CustomerDecision(events.ToImmutable(), account, null);
        if (result.Events.IsEmpty)
        {
            return result;
        }

        var published = new List<SlaNotification>();
        var changes = new List<Action<CustomerState>>();
        CreditNotice? notice = null;
        foreach (var e in result.Events)
        {
            switch (e)
            {
                case ServiceStatusChanged changed:
                    changes.Add(c => c.Status = changed.Status.Status);
                    published.Add(new CustomerStatusChanged(changed.At, CustomerStatusView.From(CustomerId, changed.Status, changed.At)));
                    break;
                case OpenTicketsRetargeted:
                    changes.Add(c => c.RetargetPending.UnionWith(c.OpenTickets.Keys));
                    break;
                case ClosedEvent closed:
                    var (entry, credit, monthNotice, record) = await Record(closed.Close, account);
                    changes.Add(record);
                    notice ??= monthNotice;
                    published.Add(new MonthClosed(closed.At, CustomerId, entry, credit));
                    break;
            }
        }

        // The reminder first (it only wakes the customer, harmlessly if the write then fails), then one write.
        var next = account.NextCloseAt();
        var arm = next is not null && (armDeadline || result.Events.Any(e => e is MonthCloseScheduled or ClosedEvent));
        var reminderDue = arm ? await Deadline.ArmReminder(next, Customer.ReminderDueAt, now) : Customer.ReminderDueAt;
        await Commit(c =>
        {
            c.Store(account);
            changes.ForEach(apply => apply(c));
            change?.Invoke(c);
            c.ReminderDueAt = reminderDue;
        });
        if (arm)
        {
            ArmTimer(now);
        }

        foreach (var notification in published)
        {
            notifications.Publish(notification);
        }

        if (notice is not null)
        {
            SendCreditNotice(notice);
        }

        if (result.Events.Any(e => e is ClosedEvent))
        {
            await ProjectLedger();
        }

        return result;
    }

    /// <summary>
    /// A month close as stored: its history entry, its ledger entry (with the contract it was computed under) and, for a
    /// month that missed its commitment, the credit notice (written with the credit, so a month closes, and is noticed, once).
    /// A month with insufficient data gets a ledger entry with no automatic credit and no notice. Returns them with the
    /// change that stores them (applied in the close's write).
    /// </summary>
    private async Task<(MonthlyAvailability Entry, CreditEntry Credit, CreditNotice? Notice, Action<CustomerState> Apply)> Record(MonthClose close, CustomerAccount account)
    {
        var agreement = account.Agreement!;
        var entry = MonthlyAvailability.From(CustomerId, close);
        var credit = CreditEntry.From(CustomerId, close, agreement.Currency);
        var notice = close.Credit is not { } monthly || monthly.Result.Met || Customer.Notices.Any(n => n.CreditKey == credit.Key)
            ? null
            : await CreditNoticeFor(monthly, close.Period, close.Availability.Sla.Downtime);
        if (notice is not null && !credit.RemediesFired.IsEmpty)
        {
            // Issue 20 — remedies: the notice tells the customer what fired beyond the month's credit, in the same words as the ledger.
            notice = notice with { Remedies = credit.RemediesFired, Summary = string.Join(" ", credit.RemediesFired.Select(r => r.Text).Prepend(notice.Summary)) };
        }

        return (entry, credit, notice, c =>
        {
            c.History.Add(entry);
            c.History.Sort((a, b) => a.Month.CompareTo(b.Month));
            if (c.Credits.All(x => x.Key != credit.Key))
            {
                c.Credits.Add(credit);
                c.Credits.Sort((a, b) => a.Month.CompareTo(b.Month));
                c.AgreementsAtClose[credit.Key] = agreement;
            }

            if (notice is not null)
            {
                c.Notices.Add(notice);
                c.NoticeWebhooksPending.Add(notice.NoticeId);
            }

            ArchiveLater(c, close.Month);
            MailContactsLater(c, close.Month, notice);
        });
    }

    /// <summary>
    /// Gives every open ticket its targets under the current policy and calendar; the ticket keeps its elapsed time.
    /// Tickets that could not be reached stay pending and are retried at the next change.
    /// </summary>
    private async Task Retarget(string reason)
    {
        if (Account.Policy() is not { } policy || Customer.Calendar is not { } calendar)
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

        await Commit(c =>
        {
            foreach (var (id, done, gone) in outcomes)
            {
                if (done)
                {
                    c.RetargetPending.Remove(id);
                }

                if (gone)
                {
                    c.OpenTickets.Remove(id);
                }
            }

            c.RetargetPending.IntersectWith(c.OpenTickets.Keys);
        });
    }

    /// <summary>The end of the next month to close, in the customer's zone; null when none is pending.</summary>
    private Instant? NextCloseAt() => Account.NextCloseAt();

    /// <summary>A reminder due no later than the next month end (the durable backstop) and a timer for it.</summary>
    private async Task ArmDeadline(Instant now)
    {
        var next = NextCloseAt();
        if (next is null)
        {
            return;
        }

        var registered = await Deadline.ArmReminder(next, Customer.ReminderDueAt, now);
        if (registered != Customer.ReminderDueAt)
        {
            await Commit(c => c.ReminderDueAt = registered);
        }

        ArmTimer(now);
    }

    /// <summary>
    /// Every state write: <paramref name="apply"/> and one write through the shared <see cref="GrainShell"/>; a failed
    /// write drops the activation, so no later call sees unstored state, and the error goes to the caller.
    /// </summary>
    private Task Commit(Action<CustomerState> apply) => GrainShell.CommitAsync(this, state, apply);

    /// <summary>A fresh one-shot timer for the next month end, precise while active (at most a day, then re-armed).</summary>
    private void ArmTimer(Instant now) => Deadline.ArmTimer(NextCloseAt(), now, LongestTimer, clampToHorizon: true);

    private CustomerStatusView StatusView(CustomerAccount account, Instant at) => CustomerStatusView.From(CustomerId, account.Status(), at);

    private CustomerView View(Instant now)
    {
        var account = Account;
        return new(
            CustomerId, account.Agreement, account.Calendar, account.Tier, account.Policy(), [.. Customer.Components],
            [.. account.OpenTickets.Keys.Order(StringComparer.Ordinal)], StatusView(account, now), account.NextMonthToClose, account.NextCloseAt());
    }

    private CustomerResult Rejected(string code, string message)
    {
        var c = Customer;
        var configured = c.Agreement is not null || c.Calendar is not null || c.Tier is not null || c.Components.Count > 0;
        return new(configured ? View(time.Now()) : null, new Rejection(code, message));
    }
}
