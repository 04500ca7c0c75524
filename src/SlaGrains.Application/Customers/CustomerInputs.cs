using System.Collections.Immutable;
using SlaGrains.Contracts.Customers;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Credits;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Application.Customers;

/// <summary>A new customer: its id, name and an optional account group (what manager reports filter by).</summary>
public sealed record NewCustomerInput(string? Id, string? Name, string? Group = null);

/// <summary>
/// The contract: the customer-facing SLA target (percent), the internal SLO (optional, derived from 20 % of the
/// SLA's budget when omitted), the monthly fee and currency, the credit schedule and cap (contract defaults when
/// omitted), the notice maintenance must be announced with (hours, default 48), and the data coverage a period needs
/// to be judged (percent, 1–100 with at most 2 decimals, default 90; under it a period is insufficient data), and an
/// optional latency commitment (percent of a month's checks answered within their monitor's latency threshold, in
/// (0, 100)): a month that misses it earns a credit through the same schedule and cap, folded into the month's one credit.
/// Issue 20: optional <c>ticketCredits</c>, at most 10 ticket-SLA credit clauses (<see cref="TicketCreditInput"/>), added
/// to the month's one credit within the monthly cap; omitted: none.
/// Issue 20 — exclusions: <c>exclusions</c>, at most one clause per class (<c>customerCaused</c>, <c>forceMajeure</c>,
/// <c>thirdParty</c>), each <c>excluded</c> or not, with its <c>clause</c> text (≤ 2,000 characters); omitted: none.
/// </summary>
public sealed record ContractRequest(
    decimal SlaTargetPercent,
    decimal? SloTargetPercent,
    decimal MonthlyFee,
    string? Currency,
    List<CreditTierInput>? CreditSchedule,
    decimal? CreditCapPercent,
    decimal? MaintenanceNoticeHours,
    decimal? MinimumCoveragePercent = null,
    decimal? LatencyCommitmentPercent = null,
    // Issue 20 — ticket-SLA credits
    List<TicketCreditInput?>? TicketCredits = null,
    // Issue 20 — remedies and term
    List<RemedyInput>? Remedies = null,
    TermInput? Term = null,
    // Issue 20 — exclusions
    List<ExclusionClauseInput?>? Exclusions = null)
{
    /// <summary>Most rows a credit schedule has.</summary>
    public const int MaxScheduleRows = 100;

    /// <summary>The contract of <paramref name="customerId"/>, or null with the reasons in <paramref name="errors"/>.</summary>
    public ServiceAgreement? ToAgreement(string customerId, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        CreditSchedule? schedule = null;
        if (CreditSchedule?.Count > MaxScheduleRows)
        {
            errors.Add("creditSchedule", $"A credit schedule has at most {MaxScheduleRows} rows.");
        }
        else if (CreditSchedule is not null)
        {
            schedule = errors.Try("creditSchedule", () => new CreditSchedule(CreditSchedule.Select(r => r is null
                ? throw new ArgumentException("A schedule row is {\"minPercent\": 99.0, \"maxPercent\": 99.9, \"creditPercent\": 10}.")
                : new CreditTier(r.MinPercent, r.MaxPercent, r.CreditPercent))));
        }

        Bounds.CheckMoney(errors, "monthlyFee", MonthlyFee);
        if (MaintenanceNoticeHours is < 0 or > 24 * 366)
        {
            errors.Add("maintenanceNoticeHours", "The maintenance notice is 0 to 8,784 hours (a year).");
        }

        if (MinimumCoveragePercent is { } coverage)
        {
            Bounds.CheckCoveragePercent(errors, "minimumCoveragePercent", coverage);
        }

        if (LatencyCommitmentPercent is <= 0 or >= 100)
        {
            errors.Add("latencyCommitmentPercent", "A latency commitment is the share of checks answered within their monitor's threshold, above 0 and below 100 percent, e.g. 95.");
        }

        // Issue 20 — ticket-SLA credits
        var ticketCredits = TicketCreditInput.ToClauses(TicketCredits, errors);
        // Issue 20 — remedies and term
        var remedies = RemedyInput.ToClause(Remedies, errors);
        var term = Term?.ToTerm(errors);

        // Issue 20 — exclusions
        var exclusions = ExclusionClauseInput.ToClauses(Exclusions, errors);

        return errors.Any ? null : errors.Try("contract", () => new ServiceAgreement(
            customerId,
            SlaTargetPercent,
            MonthlyFee,
            Currency ?? string.Empty,
            schedule,
            SloTargetPercent,
            creditCapPercent: CreditCapPercent ?? ServiceAgreement.DefaultCreditCapPercent,
            maintenanceNotice: MaintenanceNoticeHours is { } hours ? Duration.FromSeconds((double)(hours * 3600m)) : null,
            minimumCoveragePercent: MinimumCoveragePercent ?? ServiceAgreement.DefaultMinimumCoveragePercent,
            latencyCommitmentPercent: LatencyCommitmentPercent)
        {
            // Issue 20 — ticket-SLA credits
            TicketCredits = ticketCredits ?? [],
            // Issue 20 — remedies and term
            Remedies = remedies ?? RemedyClause.None,
            Term = term,
            // Issue 20 — exclusions
            Exclusions = new ExclusionClauses(exclusions),
        });
    }

    /// <summary>The request that sets the contract as it is stored (what the admin page starts from).</summary>
    public static ContractRequest From(ContractResponse contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return new(contract.SlaTargetPercent, contract.SloTargetPercent, contract.MonthlyFee, contract.Currency, [.. contract.CreditSchedule],
            contract.CreditCapPercent, contract.MaintenanceNoticeHours, contract.MinimumCoveragePercent, contract.LatencyCommitmentPercent,
            /* Issue 20 — ticket-SLA credits */ [.. contract.TicketCredits ?? []])
        {
            // Issue 20 — remedies and term
            Remedies = contract.Remedies is null ? null : [.. contract.Remedies],
            Term = contract.Term,
            // Issue 20 — exclusions
            Exclusions = [.. contract.Exclusions ?? []],
        };
    }
}

// Issue 20 — remedies and term
/// <summary>
/// A remedy over a rolling window: after <c>misses</c> missed months (SLA verdict missed; insufficient-data months are
/// not misses) within any <c>windowMonths</c> (2–24), an <c>extraCredit</c> of <c>extraCreditPercent</c> of the monthly
/// fee beyond the month's credit and its cap, or a <c>terminationRight</c>. Decided once at each month close.
/// </summary>
public sealed record RemedyInput(int? Misses, int? WindowMonths, string? Kind, decimal? ExtraCreditPercent = null)
{
    /// <summary>The kinds as the API writes them.</summary>
    public const string ExtraCredit = "extraCredit", TerminationRight = "terminationRight";

    /// <summary>The clause, or null with the reasons under <c>remedies[i].field</c> in <paramref name="errors"/>; null input: none.</summary>
    public static RemedyClause? ToClause(List<RemedyInput>? remedies, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (remedies is null)
        {
            return null;
        }

        if (remedies.Count > RemedyClause.MaxRules)
        {
            errors.Add("remedies", $"A contract has at most {RemedyClause.MaxRules} remedies; got {remedies.Count}.");
            return null;
        }

        var rules = new List<RemedyRule>();
        for (var i = 0; i < remedies.Count; i++)
        {
            var r = remedies[i];
            var kind = r?.Kind switch
            {
                ExtraCredit => RemedyKind.ExtraCredit,
                TerminationRight => RemedyKind.TerminationRight,
                _ => (RemedyKind?)null,
            };
            if (r is null || kind is null)
            {
                errors.Add($"remedies[{i}].kind", $"A remedy is an \"{ExtraCredit}\" or a \"{TerminationRight}\", e.g. {{\"misses\": 3, \"windowMonths\": 6, \"kind\": \"{ExtraCredit}\", \"extraCreditPercent\": 10}}.");
                continue;
            }

            if (r.WindowMonths is null)
            {
                errors.Add($"remedies[{i}].windowMonths", $"A remedy needs its window, 2 to {RemedyRule.MaxWindowMonths} months.");
                continue;
            }

            if (r.Misses is null)
            {
                errors.Add($"remedies[{i}].misses", "A remedy needs the number of missed months that trigger it.");
                continue;
            }

            rules.Add(new RemedyRule(r.Misses.Value, r.WindowMonths.Value, kind.Value, r.ExtraCreditPercent ?? 0m));
        }

        if (errors.Any)
        {
            return null;
        }

        var clause = new RemedyClause(rules);
        if (clause.Problem() is var (field, message))
        {
            errors.Add(field, message);
            return null;
        }

        return clause;
    }

    /// <summary>The input form of a stored rule.</summary>
    public static RemedyInput From(RemedyRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new(rule.Misses, rule.WindowMonths, rule.Kind == RemedyKind.ExtraCredit ? ExtraCredit : TerminationRight, rule.ExtraCreditPercent);
    }
}

/// <summary>
/// The contract's term: <c>start</c> (an ISO date, <c>2026-03-01</c>), <c>termMonths</c> (1–120), <c>renewalMonths</c>
/// (0–120; 0: it ends with its term) and <c>noticeDays</c> (0–730, shorter than the term or renewal it ends).
/// </summary>
public sealed record TermInput(string? Start, int? TermMonths, int? RenewalMonths, int? NoticeDays)
{
    /// <summary>The term, or null with the reasons under <c>term.field</c> in <paramref name="errors"/>.</summary>
    public ContractTerm? ToTerm(InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var start = Start is { Length: <= 10 } text ? NodaTime.Text.LocalDatePattern.Iso.Parse(text) : null;
        if (start is not { Success: true } || start.Value.Year is < 2000 or > 2200)
        {
            errors.Add("term.start", "A term starts on an ISO date from 2000 to 2200, e.g. \"2026-03-01\".");
            return null;
        }

        if (TermMonths is null || RenewalMonths is null || NoticeDays is null)
        {
            errors.Add(TermMonths is null ? "term.termMonths" : RenewalMonths is null ? "term.renewalMonths" : "term.noticeDays",
                "A term is {\"start\": \"2026-03-01\", \"termMonths\": 12, \"renewalMonths\": 12, \"noticeDays\": 90}.");
            return null;
        }

        var term = new ContractTerm(start.Value, TermMonths.Value, RenewalMonths.Value, NoticeDays.Value);
        if (term.Problem() is var (field, message))
        {
            errors.Add($"term.{field}", message);
            return null;
        }

        return term;
    }

    /// <summary>The input form of a stored term.</summary>
    public static TermInput From(ContractTerm term)
    {
        ArgumentNullException.ThrowIfNull(term);
        return new(NodaTime.Text.LocalDatePattern.Iso.Format(term.Start), term.TermMonths, term.RenewalMonths, term.NoticeDays);
    }
}

/// <summary>One row of a credit schedule: availability in [minPercent, maxPercent) earns creditPercent of the fee.</summary>
public sealed record CreditTierInput(decimal MinPercent, decimal MaxPercent, decimal CreditPercent);

/// <summary>
/// A component: a monitor and whether its outage is an outage of the whole service. <c>openTicketOnOutage</c> (issue 20,
/// default false; critical components only) opens a P1 ticket linked to the incident each time the component's outage
/// opens one.
/// </summary>
public sealed record ComponentInput(string? MonitorId, bool Critical, bool OpenTicketOnOutage = false);

/// <summary>
/// One priority's targets: ISO 8601 durations of business time; <c>coverage</c> businessHours (default) or
/// aroundTheClock; <c>warnings</c> the percents of each target at which its clock warns before the breach (at most
/// <see cref="MaxWarnings"/>, each 1–99, distinct, any order, stored ascending; omitted: 75; empty: no warning).
/// </summary>
public sealed record PriorityTargetsInput(Duration FirstResponse, Duration Resolution, Duration? NextReply, CoverageHours Coverage = CoverageHours.BusinessHours, IReadOnlyList<int>? Warnings = null)
{
    /// <summary>Most warning thresholds one priority has.</summary>
    public const int MaxWarnings = 5;

    /// <summary>Equal when every field is, the warnings compared entry by entry (omitted warnings are the default, 75).</summary>
    public bool Equals(PriorityTargetsInput? other)
        => other is not null && (FirstResponse, Resolution, NextReply, Coverage) == (other.FirstResponse, other.Resolution, other.NextReply, other.Coverage)
        && WarningsOrDefault.SequenceEqual(other.WarningsOrDefault);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(FirstResponse, Resolution, NextReply, Coverage, WarningsOrDefault.Count);

    private IReadOnlyList<int> WarningsOrDefault => Warnings ?? WarningThresholds.Default.Percents;

    /// <summary>The input form of stored targets.</summary>
    public static PriorityTargetsInput From(PriorityTargets targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return new(targets.FirstResponse, targets.Resolution, targets.NextReply, targets.Coverage, [.. targets.Warnings.Percents]);
    }

    /// <summary>The warnings given (the default when omitted), or null with the reasons under <paramref name="field"/> (e.g. <c>targets.p1.warnings[1]</c>).</summary>
    internal WarningThresholds? ToWarnings(string field, InputErrors errors)
    {
        if (Warnings is null)
        {
            return WarningThresholds.Default;
        }

        if (Warnings.Count > MaxWarnings)
        {
            errors.Add(field, $"A priority warns at most {MaxWarnings} times before its breach, e.g. [50, 75, 90].");
            return null;
        }

        var valid = true;
        for (var i = 0; i < Warnings.Count; i++)
        {
            if (Warnings[i] is < 1 or > 99)
            {
                errors.Add($"{field}[{i}]", $"A warning is a percent of the target from 1 to 99 (100 is the breach); got {Warnings[i]}.");
                valid = false;
            }
            else if (Warnings.Take(i).Contains(Warnings[i]))
            {
                errors.Add($"{field}[{i}]", $"{Warnings[i]} % is listed twice.");
                valid = false;
            }
        }

        return valid ? new WarningThresholds(Warnings) : null;
    }
}

/// <summary>
/// An SLA tier: a name and targets per priority (<c>p1</c> … <c>p4</c>), and the customer's bespoke overrides of some
/// priorities (the overrides not listed are cleared).
/// </summary>
public sealed record PolicyInput(string? Name, Dictionary<TicketPriority, PriorityTargetsInput>? Targets, Dictionary<TicketPriority, PriorityTargetsInput>? Overrides)
{
    /// <summary>The tier and the customer's overrides, or null with the reasons in <paramref name="errors"/>.</summary>
    public (SlaPolicy Tier, Dictionary<TicketPriority, PriorityTargets> Overrides)? ToPolicy(InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var name = Bounds.Blank(Name);
        if (name is null)
        {
            errors.Add("name", "A tier needs a name, e.g. Gold.");
        }
        else if (name.Length > Bounds.NameLength || !Bounds.IsPrintable(name))
        {
            errors.Add("name", $"A tier's name has at most {Bounds.NameLength} characters and no control characters.");
        }

        if (Targets is null || Targets.Count == 0)
        {
            errors.Add("targets", "A tier needs targets for at least one priority, e.g. {\"p1\": {\"firstResponse\": \"PT1H\", \"resolution\": \"PT4H\"}}.");
            return null;
        }

        var targets = Convert(Targets, "targets", errors);
        var overrides = Convert(Overrides ?? [], "overrides", errors);
        if (errors.Any)
        {
            return null;
        }

        var tier = errors.Try("targets", () => new SlaPolicy(name!, targets));
        return tier is null ? null : (tier, overrides);
    }

    /// <summary>The input form of a customer's stored tier and overrides (what the admin page starts from); null without a tier.</summary>
    public static PolicyInput? From(CustomerView? customer)
    {
        if (customer?.Tier is not { } tier)
        {
            return null;
        }

        // The grain keeps the overrides inside the policy it hands out: a priority whose targets differ from the tier's
        // is overridden (one equal to the tier's changes nothing, so leaving it out keeps every ticket's targets).
        var policy = customer.Policy ?? tier;
        return new PolicyInput(
            tier.Name,
            tier.Targets.ToDictionary(t => t.Key, t => PriorityTargetsInput.From(t.Value)),
            policy.Targets.Where(t => !tier.Targets.TryGetValue(t.Key, out var own) || own != t.Value).ToDictionary(t => t.Key, t => PriorityTargetsInput.From(t.Value)));
    }

    private static Dictionary<TicketPriority, PriorityTargets> Convert(Dictionary<TicketPriority, PriorityTargetsInput> input, string path, InputErrors errors)
    {
        var result = new Dictionary<TicketPriority, PriorityTargets>();
        foreach (var (priority, t) in input)
        {
            var field = $"{path}.{priority.ToString().ToLowerInvariant()}";
            if (!Enum.IsDefined(priority))
            {
                errors.Add(field, "A priority is p1, p2, p3 or p4.");
            }
            else if (t is null || !Enum.IsDefined(t.Coverage))
            {
                errors.Add(field, "Targets are {\"firstResponse\": \"PT1H\", \"resolution\": \"PT4H\", \"nextReply\": \"PT2H\", \"coverage\": \"businessHours\" or \"aroundTheClock\", \"warnings\": [50, 75, 90]}.");
            }
            else if (new[] { t.FirstResponse, t.Resolution, t.NextReply }.Any(d => d is { } target && (target < Duration.Zero || target > Bounds.MaxDuration)))
            {
                errors.Add(field, "Targets are durations from 0 to 10 years, e.g. \"PT4H\".");
            }
            else if (t.ToWarnings($"{field}.warnings", errors) is { } warnings
                && errors.Try(field, () => new PriorityTargets(t.FirstResponse, t.Resolution, t.NextReply, t.Coverage, warnings)) is { } targets)
            {
                result[priority] = targets;
            }
        }

        return result;
    }
}

/// <summary>A customer as the API shows it.</summary>
public sealed record CustomerResponse(
    string Id,
    string Name,
    ContractResponse? Contract,
    CalendarInput? Calendar,
    PolicyResponse? Policy,
    ImmutableArray<CustomerComponent> Components,
    int OpenTickets,
    string Status,
    YearMonth? NextMonthToClose,
    Instant? NextMonthCloseAt,
    string? Group);

/// <summary>The contract as stored (with the SLO and defaults resolved).</summary>
public sealed record ContractResponse(
    decimal SlaTargetPercent,
    decimal SloTargetPercent,
    decimal MonthlyFee,
    string Currency,
    ImmutableArray<CreditTierInput> CreditSchedule,
    decimal CreditCapPercent,
    decimal MaintenanceNoticeHours,
    decimal MinimumCoveragePercent,
    decimal? LatencyCommitmentPercent = null,
    // Issue 20 — ticket-SLA credits
    IReadOnlyList<TicketCreditInput>? TicketCredits = null,
    // Issue 20 — remedies and term
    IReadOnlyList<RemedyInput>? Remedies = null,
    TermInput? Term = null,
    // Issue 20 — exclusions
    IReadOnlyList<ExclusionClauseInput>? Exclusions = null)
{
    /// <summary>The response for a stored contract.</summary>
    public static ContractResponse From(ServiceAgreement a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new(
            a.SlaTargetPercent,
            a.SloTargetPercent,
            a.MonthlyFee,
            a.Currency,
            [.. a.CreditSchedule.Tiers.Select(t => new CreditTierInput(t.MinPercent, t.MaxPercent, t.CreditPercent))],
            a.CreditCapPercent,
            (decimal)a.MaintenanceNotice.TotalHours,
            a.MinimumCoveragePercent,
            a.LatencyCommitmentPercent,
            /* Issue 20 — ticket-SLA credits */ [.. a.TicketCredits.Select(TicketCreditInput.From)],
            // Issue 20 — remedies and term
            [.. a.Remedies.Rules.Select(RemedyInput.From)],
            a.Term is { } term ? TermInput.From(term) : null,
            // Issue 20 — exclusions
            [.. a.Exclusions.Select(ExclusionClauseInput.From)]);
    }
}

/// <summary>The SLA tier in force (with the customer's overrides applied).</summary>
public sealed record PolicyResponse(string Name, Dictionary<TicketPriority, PriorityTargetsInput> Targets);

/// <summary>A customer as the admin list shows it: its entry and its configuration (null when nothing was set yet).</summary>
public sealed record CustomerConfiguration(CustomerEntry Entry, CustomerView? View);
