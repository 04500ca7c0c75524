using System.Collections.Immutable;
using NodaTime;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Customers;

/// <summary>The outcome of <see cref="CustomerRules.Decide"/>: the events and the state after them, or a rejection.</summary>
/// <param name="Events">What happened, in order; empty when the command changes nothing (e.g. a month already closed).</param>
/// <param name="State">The state after the events (the input state when rejected).</param>
/// <param name="Rejection">Why nothing happened; null when accepted.</param>
public sealed record CustomerDecision(ImmutableArray<CustomerEvent> Events, CustomerAccount State, Rejection? Rejection)
{
    /// <summary>True when the command was accepted (possibly with no events).</summary>
    public bool Accepted => Rejection is null;
}

/// <summary>
/// A customer's rules as a pure state machine: <see cref="Decide"/> validates a command at an instant and produces
/// events, <see cref="Apply"/> folds one event into the state. Neither reads a clock nor throws for expected failures.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Status: <see cref="CustomerStatus.Summarize(IEnumerable{ComponentReading})"/> over what the monitors last reported;
/// a change of the rolled-up status adds a <see cref="ServiceStatusChanged"/>.</item>
/// <item>A tier, override or calendar change adds <see cref="OpenTicketsRetargeted"/>; the shell re-targets each open ticket.</item>
/// <item>The month-end deadline starts (<see cref="MonthCloseScheduled"/>) the first time contract and calendar are both set.</item>
/// <item>Month close is idempotent by month: a closed month decides nothing, so its stored figures stand.
/// A month under the coverage threshold closes with no automatic credit (<see cref="MonthClose"/>).</item>
/// </list>
/// </remarks>
public static class CustomerRules
{
    /// <summary>Decides what <paramref name="command"/> does at <paramref name="now"/>.</summary>
    public static CustomerDecision Decide(CustomerAccount state, CustomerCommand command, Instant now)
    {
        Guard.NotNull(state, nameof(state));
        Guard.NotNull(command, nameof(command));
        return command switch
        {
            SetAgreement c when c.Agreement.CustomerId != state.CustomerId => Reject(state,
                "agreement-for-another-customer", $"The agreement is for '{c.Agreement.CustomerId}', not '{state.CustomerId}'."),
            SetAgreement c => Accept(state, now, new AgreementSet(now, c.Agreement)),
            SetCalendar c => Accept(state, now, new CalendarSet(now, c.Calendar), new OpenTicketsRetargeted(now, $"Business calendar changed to {c.Calendar}.")),
            SetTier c => Accept(state, now, new TierSet(now, c.Tier, c.Options), new OpenTicketsRetargeted(now, $"SLA tier changed to {c.Tier.Name}.")),
            SetOverride c => Accept(state, now, new OverrideSet(now, c.Priority, c.Targets), new OpenTicketsRetargeted(now, $"Bespoke targets for {c.Priority}.")),
            ClearOverride c when !state.Overrides.ContainsKey(c.Priority) => Accept(state, now),
            ClearOverride c => Accept(state, now, new OverrideCleared(now, c.Priority), new OpenTicketsRetargeted(now, $"Bespoke targets for {c.Priority} removed.")),
            SetComponents c when c.Components.Select(x => x.Id).Distinct(StringComparer.Ordinal).Count() != c.Components.Count => Reject(state,
                "invalid-components", "Each component needs a monitor id, and each monitor may appear once."),
            SetComponents c => Accept(state, now, new ComponentsSet(now, [.. c.Components])),
            ReportComponentHealth c when string.IsNullOrWhiteSpace(c.ComponentId) => Reject(state, "invalid-component", "A health report needs the monitor's id."),
            ReportComponentHealth c when state.HealthOf(c.ComponentId) == c.Health => Accept(state, now),
            ReportComponentHealth c => Accept(state, c.At, new ComponentHealthChanged(c.At, c.ComponentId, c.Health)),
            CloseMonth c => Close(state, c, now),
            TrackTicket c when string.IsNullOrWhiteSpace(c.TicketId) => Reject(state, "invalid-ticket", "A tracked ticket needs its id."),
            TrackTicket c when state.OpenTickets.TryGetValue(c.TicketId, out var known) && known == c.Priority => Accept(state, now),
            TrackTicket c => Accept(state, now, new TicketTracked(now, c.TicketId, c.Priority)),
            UntrackTicket c when !state.OpenTickets.ContainsKey(c.TicketId) => Accept(state, now),
            UntrackTicket c => Accept(state, now, new TicketUntracked(now, c.TicketId)),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown customer command."),
        };
    }

    /// <summary>Folds one event into the state.</summary>
    public static CustomerAccount Apply(CustomerAccount state, CustomerEvent e)
    {
        Guard.NotNull(state, nameof(state));
        return e switch
        {
            AgreementSet x => state with { Agreement = x.Agreement },
            CalendarSet x => state with { Calendar = x.Calendar },
            TierSet x => state with { Tier = x.Tier, ClockOptions = x.Options },
            OverrideSet x => state with { Overrides = state.Overrides.SetItem(x.Priority, x.Targets) },
            OverrideCleared x => state with { Overrides = state.Overrides.Remove(x.Priority) },
            ComponentsSet x => state with { Components = [.. x.Components] },
            ComponentHealthChanged x => state with { Health = state.Health.SetItem(x.ComponentId, x.Health) },
            ServiceStatusChanged or OpenTicketsRetargeted => state,
            MonthCloseScheduled x => state with { NextMonthToClose = x.Month },
            MonthClosed x => Advance(state with
            {
                ClosedMonths = state.ClosedMonths.Add(x.Close.Month),
                MissedMonths = x.Close.SlaVerdict == TargetVerdict.Missed ? state.MissedMonths.Add(x.Close.Month) : state.MissedMonths,
                RemediesLastFired = x.Close.Remedies.Aggregate(state.RemediesLastFired, (fired, r) => fired.SetItem(r.Firing.Rule.Key, r.Firing.Month)),
            }),
            TicketTracked x => state with { OpenTickets = state.OpenTickets.SetItem(x.TicketId, x.Priority) },
            TicketUntracked x => state with { OpenTickets = state.OpenTickets.Remove(x.TicketId) },
            _ => throw new ArgumentOutOfRangeException(nameof(e), e, "Unknown customer event."),
        };
    }

    /// <summary>
    /// The period <paramref name="month"/> covers, when it can be closed at <paramref name="now"/>: null (with no
    /// rejection) when it is closed already, a rejection when the customer is not configured or the month is not over.
    /// The shell asks this before gathering the month's evidence.
    /// </summary>
    public static (Interval? Period, Rejection? Rejection) ClosablePeriod(CustomerAccount state, YearMonth month, Instant now)
    {
        Guard.NotNull(state, nameof(state));
        if (state.ClosedMonths.Contains(month))
        {
            return (null, null);
        }

        if (state.Agreement is null || state.Calendar is not { } calendar)
        {
            return (null, new Rejection("customer-not-configured", $"Customer '{state.CustomerId}' needs a contract and a business calendar to close a month."));
        }

        var period = ReportingPeriod.Month(month, calendar.Zone);
        return period.End > now
            ? (null, new Rejection("month-not-over", $"{month} in {calendar.Zone.Id} ends at {period.End}; it is {now}."))
            : (period, null);
    }

    private static CustomerDecision Close(CustomerAccount state, CloseMonth command, Instant now)
    {
        var (period, rejection) = ClosablePeriod(state, command.Month, now);
        if (rejection is not null)
        {
            return Reject(state, rejection.Code, rejection.Message);
        }

        if (period is not { } month)
        {
            return Accept(state, now); // Closed before: the stored close stands, nothing is recomputed.
        }

        var agreement = state.Agreement!;
        var availability = CustomerAvailability.Compute(month, command.Evidence, command.Maintenance, agreement.MaintenanceNotice);
        var close = MonthClose.Compute(state.CustomerId, command.Month, state.Calendar!.Zone.Id, availability, agreement, now, agreement.MinimumCoveragePercent, command.Latency, command.TicketClocks);
        // Issue 20 — remedies: decided once, with the month's close, after its credit.
        close = close.WithRemedies(agreement, state.MissedMonths, state.RemediesLastFired);
        return Accept(state, now, new MonthClosed(now, close));
    }

    /// <summary>Folds <paramref name="events"/>, then adds what follows from the new state: the month-end deadline and a status change.</summary>
    private static CustomerDecision Accept(CustomerAccount state, Instant now, params CustomerEvent[] events)
    {
        var all = ImmutableArray.CreateBuilder<CustomerEvent>();
        var next = state;
        foreach (var e in events)
        {
            next = Apply(next, e);
            all.Add(e);
        }

        if (next.NextMonthToClose is null && next.CanCloseMonths)
        {
            var scheduled = new MonthCloseScheduled(now, ReportingPeriod.MonthContaining(now, next.Calendar!.Zone));
            next = Apply(next, scheduled);
            all.Add(scheduled);
        }

        var before = state.Status();
        var after = next.Status();
        if (before.Status != after.Status || !before.Down.SequenceEqual(after.Down) || !before.Unknown.SequenceEqual(after.Unknown)
            || !before.UnderMaintenance.SequenceEqual(after.UnderMaintenance))
        {
            var changed = new ServiceStatusChanged(events.Length > 0 ? events[^1].At : now, after);
            all.Add(changed);
        }

        return new CustomerDecision(all.ToImmutable(), next, null);
    }

    private static CustomerDecision Reject(CustomerAccount state, string code, string message) => new([], state, new Rejection(code, message));

    /// <summary>Moves the next month to close past every closed one.</summary>
    private static CustomerAccount Advance(CustomerAccount state)
    {
        var next = state.NextMonthToClose;
        while (next is { } m && state.ClosedMonths.Contains(m))
        {
            next = m.PlusMonths(1);
        }

        return state with { NextMonthToClose = next };
    }
}
