using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Application.Escalations;

/// <summary>
/// The escalation inbox, for the service provider's staff: every escalation from the <c>escalations</c> table
/// (newest first, keyset pages) and acknowledging one, which its record grain does once; and the monitors' burn-rate
/// (error-budget) alerts from the <c>budget_alerts</c> table, one row per firing (started, then stopped), and
/// acknowledging one, which its monitor grain does once.
/// </summary>
[ApplicationService]
public sealed class EscalationInbox(IGrainFactory grains, IEscalationReadModel escalations, IMonitorReadModel monitors, ITicketReadModel tickets)
{
    /// <summary>Most escalations one bulk acknowledgement names.</summary>
    public const int MaxBulkAcknowledge = 200;

    /// <summary>Longest escalation id accepted, in characters (as for one acknowledgement).</summary>
    public const int MaxEscalationIdLength = 200;

    /// <summary>
    /// Acknowledges several escalations for the caller, with the rules of <see cref="Acknowledge"/> (staff only; acknowledging
    /// twice keeps the first), and says per id what happened: <c>acknowledged</c>, <c>alreadyAcknowledged</c> (by someone
    /// before: the first acknowledgement stands) or <c>notFound</c>. At most <see cref="MaxBulkAcknowledge"/> ids, each
    /// 1–<see cref="MaxEscalationIdLength"/> printable characters; otherwise 400 naming <c>ids</c> and nothing changes.
    /// Repeated ids are answered once.
    /// </summary>
    public async Task<Result<IReadOnlyList<EscalationAcknowledgement>>> AcknowledgeMany(Caller caller, IReadOnlyList<string?>? ids)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsStaff)
        {
            return Failure.Forbidden("Escalations are acknowledged by the service provider's staff.");
        }

        if (ids is null || ids.Count == 0 || ids.Count > MaxBulkAcknowledge)
        {
            return Failure.Invalid("ids", $"Name 1–{MaxBulkAcknowledge} escalations to acknowledge.");
        }

        if (ids.Any(id => string.IsNullOrWhiteSpace(id) || id.Length > MaxEscalationIdLength || !Bounds.IsPrintable(id)))
        {
            return Failure.Invalid("ids", $"Each escalation id is 1–{MaxEscalationIdLength} printable characters, as the inbox gives it.");
        }

        var answers = new List<EscalationAcknowledgement>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            var record = grains.GetGrain<IEscalationRecordGrain>(id!);
            if (await record.Get() is not { } before)
            {
                answers.Add(new EscalationAcknowledgement(id!, EscalationAcknowledgement.NotFound, null));
                continue;
            }

            var after = await record.Acknowledge(caller.Name);
            answers.Add(new EscalationAcknowledgement(
                id!, before.AcknowledgedBy is null ? EscalationAcknowledgement.Acknowledged : EscalationAcknowledgement.AlreadyAcknowledged, after ?? before));
        }

        return answers;
    }

    /// <summary>
    /// The subjects of the tickets the given escalations are about (ticket id → subject), for the inbox's rows; staff only
    /// (empty otherwise). Tickets no longer in the read model are left out.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> Subjects(Caller caller, IEnumerable<EscalationView> shown, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(shown);
        var subjects = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!caller.IsStaff)
        {
            return subjects;
        }

        foreach (var ticketId in shown.Select(e => e.Alert.TicketId).Distinct(StringComparer.Ordinal).Take(MaxPageSize))
        {
            if (await tickets.FindAsync(ticketId, cancellationToken) is { } row)
            {
                subjects[ticketId] = row.Subject;
            }
        }

        return subjects;
    }

    /// <summary>Most budget alerts one answer holds.</summary>
    public const int MaxBudgetAlerts = 500;

    /// <summary>
    /// The burn-rate alerts, newest start first (at most <paramref name="limit"/>, default 100), of one customer or all;
    /// only those still firing when <paramref name="firing"/> is true. Staff only: they measure the internal SLO.
    /// </summary>
    public async Task<Result<IReadOnlyList<BudgetAlertView>>> BudgetAlerts(
        Caller caller, string? customer = null, bool? firing = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsStaff)
        {
            return Failure.Forbidden("Budget alerts are for the service provider's staff.");
        }

        var errors = new InputErrors();
        if (customer is not null && !Bounds.IsId(customer))
        {
            errors.Add("customer", Bounds.IdRule("A customer id"));
        }

        if (limit is < 1 or > MaxBudgetAlerts)
        {
            errors.Add("limit", $"An answer holds 1–{MaxBudgetAlerts} budget alerts.");
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var rows = await monitors.BudgetAlertsAsync(customer is null ? null : [customer], firing == true, limit ?? 100, cancellationToken);
        return Result<IReadOnlyList<BudgetAlertView>>.Success([.. rows.Select(r => r.Alert)]);
    }

    /// <summary>
    /// Acknowledges a burn-rate alert's firing (staff, as for escalations), firing or stopped: its monitor records who
    /// and when once; acknowledging again answers the first acknowledgement and changes nothing. A malformed id is 400
    /// naming <c>alertId</c>; an id of no monitor or of a firing the monitor does not keep is 404.
    /// </summary>
    public async Task<Result<BudgetAlertView>> AcknowledgeBudgetAlert(Caller caller, string? alertId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsStaff)
        {
            return Failure.Forbidden("Budget alerts are acknowledged by the service provider's staff.");
        }

        // An SLI's alerts are ids of the source sli:{id} (see ISliGrain): the SLI keeps their acknowledgements.
        if (BudgetAlertView.TryParseId(alertId, out var source, out var sliAlert, out var sliStartedAt)
            && source.StartsWith("sli:", StringComparison.Ordinal) && Bounds.IsId(source[4..]) && Bounds.IsId(sliAlert))
        {
            using var sliActor = Actor.Is(caller);
            return await grains.GetGrain<SlaGrains.Contracts.Slis.ISliGrain>(source[4..]).AcknowledgeBudgetAlert(sliAlert, sliStartedAt, caller.Name) is { } acknowledged
                ? acknowledged
                : Failure.NotFound($"Budget alert '{alertId}'");
        }

        if (!BudgetAlertView.TryParseId(alertId, out var monitorId, out var name, out var startedAt) || !Bounds.IsId(monitorId) || !Bounds.IsId(name))
        {
            return Failure.Invalid("alertId", "A budget alert id is {monitor}.{alert}.{started at, Unix ticks}, as the budget alert list gives it.");
        }

        var monitor = grains.GetGrain<IMonitorGrain>(monitorId);
        if (await monitor.Get() is null)
        {
            return Failure.NotFound($"Budget alert '{alertId}'");
        }

        using var actor = Actor.Is(caller);
        var result = await monitor.AcknowledgeBudgetAlert(name, startedAt, caller.Name);
        return result is { Accepted: true, Alert: { } alert } ? alert
            : result.Rejection is { } rejection ? Failure.Rejected(rejection)
            : Failure.NotFound($"Budget alert '{alertId}'");
    }

    /// <summary>Whether the caller sees a live budget alert (staff).</summary>
    public static bool MaySee(Caller caller, BudgetAlertView alert)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(alert);
        return caller.IsStaff;
    }

    /// <summary>Most escalations one page holds.</summary>
    public const int MaxPageSize = 500;

    /// <summary>One page of the inbox, newest first; staff only.</summary>
    public async Task<Result<EscalationListPage>> List(
        Caller caller, string? customer = null, bool? acknowledged = null, SlaMetric? metric = null, string? cursor = null, int? pageSize = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsStaff)
        {
            return Failure.Forbidden("The escalation inbox is for the service provider's staff.");
        }

        var errors = new InputErrors();
        if (customer is not null && !Bounds.IsId(customer))
        {
            errors.Add("customer", Bounds.IdRule("A customer id"));
        }

        if (metric is { } m && !Enum.IsDefined(m))
        {
            errors.Add("metric", "A metric is firstResponse, resolution or nextReply.");
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors.Add("pageSize", $"A page holds 1–{MaxPageSize} escalations.");
        }

        EscalationCursor? after = null;
        if (cursor is not null && !EscalationCursor.TryParse(cursor, out after))
        {
            errors.Add("cursor", "Not a cursor this list gave: start again without one.");
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        return await escalations.ListAsync(
            new EscalationListQuery
            {
                Customers = customer is null ? null : [customer],
                Acknowledged = acknowledged,
                Metric = metric,
                After = after,
                PageSize = pageSize ?? 50,
                IncludeTotal = after is null,
            },
            cancellationToken);
    }

    /// <summary>Acknowledges an escalation of <paramref name="customerId"/> (staff); acknowledging twice keeps the first.</summary>
    public async Task<Result<EscalationView>> Acknowledge(Caller caller, string customerId, string? escalationId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsStaff)
        {
            return Failure.Forbidden("Escalations are acknowledged by the service provider's staff.");
        }

        if (!Bounds.IsId(customerId) || await grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).Find(customerId) is null)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        if (string.IsNullOrWhiteSpace(escalationId) || escalationId.Length > 200)
        {
            return Failure.Invalid("escalationId", "Name the escalation to acknowledge.");
        }

        var record = grains.GetGrain<IEscalationRecordGrain>(escalationId);
        if (await record.Get() is not { } escalation || escalation.Alert.CustomerId != customerId)
        {
            return Failure.NotFound($"Escalation '{escalationId}'");
        }

        return (await record.Acknowledge(caller.Name))!;
    }

    /// <summary>Whether the caller sees a live escalation in the inbox (staff; one that matched a rule).</summary>
    public static bool MaySee(Caller caller, EscalationView escalation)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(escalation);
        return caller.IsStaff && !escalation.Actions.IsDefaultOrEmpty;
    }
}
