using System.Collections.Immutable;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Credits;

namespace SlaGrains.Contracts.Serialization;

/// <summary>A <see cref="CreditTier"/>: <c>[min %, max %) → credit %</c>.</summary>
[GenerateSerializer, Immutable, Alias("slagrains.credit-tier")]
internal readonly record struct CreditTierSurrogate
{
    [Id(0)] public decimal MinPercent { get; init; }

    [Id(1)] public decimal MaxPercent { get; init; }

    [Id(2)] public decimal CreditPercent { get; init; }
}

[RegisterConverter]
internal sealed class CreditTierConverter : IConverter<CreditTier, CreditTierSurrogate>
{
    public CreditTier ConvertFromSurrogate(in CreditTierSurrogate surrogate) => new(surrogate.MinPercent, surrogate.MaxPercent, surrogate.CreditPercent);

    public CreditTierSurrogate ConvertToSurrogate(in CreditTier value)
        => new() { MinPercent = value.MinPercent, MaxPercent = value.MaxPercent, CreditPercent = value.CreditPercent };
}

/// <summary>A <see cref="CreditSchedule"/>: its tiers, highest band first.</summary>
[GenerateSerializer, Alias("slagrains.credit-schedule")]
internal readonly record struct CreditScheduleSurrogate
{
    [Id(0)] public ImmutableArray<CreditTier> Tiers { get; init; }
}

[RegisterConverter]
internal sealed class CreditScheduleConverter : IConverter<CreditSchedule, CreditScheduleSurrogate>
{
    public CreditSchedule ConvertFromSurrogate(in CreditScheduleSurrogate surrogate) => new(surrogate.Tiers.IsDefault ? [] : surrogate.Tiers);

    public CreditScheduleSurrogate ConvertToSurrogate(in CreditSchedule value) => new() { Tiers = [.. value.Tiers] };
}

/// <summary>
/// A <see cref="ServiceAgreement"/>: the SLO is stored as it is (derived or explicit), so a change of the
/// default budget fraction never changes a stored agreement.
/// </summary>
[GenerateSerializer, Alias("slagrains.service-agreement")]
internal readonly record struct ServiceAgreementSurrogate
{
    [Id(0)] public string CustomerId { get; init; }

    [Id(1)] public decimal SlaTargetPercent { get; init; }

    [Id(2)] public decimal SloTargetPercent { get; init; }

    [Id(3)] public decimal MonthlyFee { get; init; }

    [Id(4)] public string Currency { get; init; }

    [Id(5)] public CreditSchedule CreditSchedule { get; init; }

    [Id(6)] public decimal CreditCapPercent { get; init; }

    [Id(7)] public Duration MaintenanceNotice { get; init; }

    /// <summary>Coverage a period needs to be judged, percent; 0 (the field missing) for agreements stored before it existed.</summary>
    [Id(8)] public decimal MinimumCoveragePercent { get; init; }

    /// <summary>The latency commitment, percent; null (also in agreements stored before it existed): none. Id 40 keeps clear of terms other work adds.</summary>
    [Id(40)] public decimal? LatencyCommitmentPercent { get; init; }

    // Issue 20 — ticket-SLA credits
    /// <summary>The ticket-SLA credit clauses; default (also in agreements stored before they existed): none.</summary>
    [Id(120)] public ImmutableArray<TicketCreditClause> TicketCredits { get; init; }

    // Issue 20 — remedies and term
    /// <summary>Remedies over rolling windows; default (agreements stored before they existed): none.</summary>
    [Id(110)] public ImmutableArray<RemedyRule> Remedies { get; init; }

    /// <summary>The contract's term; null (also in agreements stored before it existed): none.</summary>
    [Id(111)] public ContractTerm? Term { get; init; }

    // Issue 20 — exclusions
    /// <summary>The exclusion clauses; default (also in agreements stored before they existed): none.</summary>
    [Id(100)] public ImmutableArray<ExclusionClause> Exclusions { get; init; }
}

[RegisterConverter]
internal sealed class ServiceAgreementConverter : IConverter<ServiceAgreement, ServiceAgreementSurrogate>
{
    // An explicit SLO must be below 100; an SLO of 100 only ever comes from deriving it from an SLA of 100,
    // which deriving again reproduces.
    public ServiceAgreement ConvertFromSurrogate(in ServiceAgreementSurrogate surrogate) => new(
        surrogate.CustomerId,
        surrogate.SlaTargetPercent,
        surrogate.MonthlyFee,
        surrogate.Currency,
        surrogate.CreditSchedule,
        sloTargetPercent: surrogate.SloTargetPercent < 100m ? surrogate.SloTargetPercent : null,
        creditCapPercent: surrogate.CreditCapPercent,
        maintenanceNotice: surrogate.MaintenanceNotice,
        // Agreements stored before the coverage threshold was a contract term have no field 8, which reads as 0;
        // they were judged at the fixed 90 %, so they keep it. A real threshold is never 0 (it is in (0, 100]).
        minimumCoveragePercent: surrogate.MinimumCoveragePercent == 0m ? ServiceAgreement.DefaultMinimumCoveragePercent : surrogate.MinimumCoveragePercent,
        latencyCommitmentPercent: surrogate.LatencyCommitmentPercent)
    {
        // Issue 20 — ticket-SLA credits
        TicketCredits = surrogate.TicketCredits.IsDefault ? [] : surrogate.TicketCredits,
        // Issue 20 — remedies and term
        Remedies = surrogate.Remedies.IsDefaultOrEmpty ? RemedyClause.None : new RemedyClause(surrogate.Remedies),
        Term = surrogate.Term,
        // Issue 20 — exclusions
        Exclusions = surrogate.Exclusions.IsDefaultOrEmpty ? ExclusionClauses.None : new ExclusionClauses(surrogate.Exclusions),
    };

    public ServiceAgreementSurrogate ConvertToSurrogate(in ServiceAgreement value) => new()
    {
        CustomerId = value.CustomerId,
        SlaTargetPercent = value.SlaTargetPercent,
        SloTargetPercent = value.SloTargetPercent,
        MonthlyFee = value.MonthlyFee,
        Currency = value.Currency,
        CreditSchedule = value.CreditSchedule,
        CreditCapPercent = value.CreditCapPercent,
        MaintenanceNotice = value.MaintenanceNotice,
        MinimumCoveragePercent = value.MinimumCoveragePercent,
        LatencyCommitmentPercent = value.LatencyCommitmentPercent,

        // Issue 20 — ticket-SLA credits
        TicketCredits = value.TicketCredits,
        // Issue 20 — remedies and term
        Remedies = value.Remedies.Rules,
        Term = value.Term,
        // Issue 20 — exclusions
        Exclusions = [.. value.Exclusions],
    };
}

// Issue 20 — remedies and term
/// <summary>A <see cref="RemedyRule"/>: misses within a window, what it gives (kind as a number) and its percent.</summary>
[GenerateSerializer, Immutable, Alias("slagrains.remedy-rule")]
internal readonly record struct RemedyRuleSurrogate
{
    [Id(0)] public int Misses { get; init; }

    [Id(1)] public int WindowMonths { get; init; }

    [Id(2)] public int Kind { get; init; }

    [Id(3)] public decimal ExtraCreditPercent { get; init; }
}

[RegisterConverter]
internal sealed class RemedyRuleConverter : IConverter<RemedyRule, RemedyRuleSurrogate>
{
    public RemedyRule ConvertFromSurrogate(in RemedyRuleSurrogate surrogate) => new(surrogate.Misses, surrogate.WindowMonths, (RemedyKind)surrogate.Kind, surrogate.ExtraCreditPercent);

    public RemedyRuleSurrogate ConvertToSurrogate(in RemedyRule value)
        => new() { Misses = value.Misses, WindowMonths = value.WindowMonths, Kind = (int)value.Kind, ExtraCreditPercent = value.ExtraCreditPercent };
}

/// <summary>A <see cref="ContractTerm"/>: start, term and renewal in months, notice in days.</summary>
[GenerateSerializer, Immutable, Alias("slagrains.contract-term")]
internal readonly record struct ContractTermSurrogate
{
    [Id(0)] public LocalDate Start { get; init; }

    [Id(1)] public int TermMonths { get; init; }

    [Id(2)] public int RenewalMonths { get; init; }

    [Id(3)] public int NoticeDays { get; init; }
}

[RegisterConverter]
internal sealed class ContractTermConverter : IConverter<ContractTerm, ContractTermSurrogate>
{
    public ContractTerm ConvertFromSurrogate(in ContractTermSurrogate surrogate) => new(surrogate.Start, surrogate.TermMonths, surrogate.RenewalMonths, surrogate.NoticeDays);

    public ContractTermSurrogate ConvertToSurrogate(in ContractTerm value)
        => new() { Start = value.Start, TermMonths = value.TermMonths, RenewalMonths = value.RenewalMonths, NoticeDays = value.NoticeDays };
}

// Issue 20 — exclusions
/// <summary>An <see cref="ExclusionClause"/>: the class (its stored number), whether it is excluded, and the clause's text.</summary>
[GenerateSerializer, Immutable, Alias("slagrains.exclusion-clause")]
internal readonly record struct ExclusionClauseSurrogate
{
    [Id(0)] public int Class { get; init; }

    [Id(1)] public bool Excluded { get; init; }

    [Id(2)] public string Clause { get; init; }
}

[RegisterConverter]
internal sealed class ExclusionClauseConverter : IConverter<ExclusionClause, ExclusionClauseSurrogate>
{
    public ExclusionClause ConvertFromSurrogate(in ExclusionClauseSurrogate surrogate) => new((ExclusionClass)surrogate.Class, surrogate.Excluded, surrogate.Clause ?? string.Empty);

    public ExclusionClauseSurrogate ConvertToSurrogate(in ExclusionClause value) => new() { Class = (int)value.Class, Excluded = value.Excluded, Clause = value.Clause };
}

/// <summary>A <see cref="MaintenanceWindow"/>: <c>[start, end)</c> and when it was announced (null: counts as in time).</summary>
[GenerateSerializer, Immutable, Alias("slagrains.maintenance-window")]
internal readonly record struct MaintenanceWindowSurrogate
{
    [Id(0)] public Instant Start { get; init; }

    [Id(1)] public Instant End { get; init; }

    [Id(2)] public Instant? AnnouncedAt { get; init; }
}

[RegisterConverter]
internal sealed class MaintenanceWindowConverter : IConverter<MaintenanceWindow, MaintenanceWindowSurrogate>
{
    public MaintenanceWindow ConvertFromSurrogate(in MaintenanceWindowSurrogate surrogate) => new(surrogate.Start, surrogate.End, surrogate.AnnouncedAt);

    public MaintenanceWindowSurrogate ConvertToSurrogate(in MaintenanceWindow value)
        => new() { Start = value.Start, End = value.End, AnnouncedAt = value.AnnouncedAt };
}

/// <summary>A <see cref="CheckResult"/>: when, up or down (numeric), the region (null for a single-location monitor) and the response time (null when unknown).</summary>
[GenerateSerializer, Immutable, Alias("slagrains.check-result")]
internal readonly record struct CheckResultSurrogate
{
    [Id(0)] public Instant At { get; init; }

    [Id(1)] public int Outcome { get; init; }

    [Id(2)] public string? Region { get; init; }

    [Id(3)] public Duration? ResponseTime { get; init; }
}

[RegisterConverter]
internal sealed class CheckResultConverter : IConverter<CheckResult, CheckResultSurrogate>
{
    public CheckResult ConvertFromSurrogate(in CheckResultSurrogate surrogate) => new(surrogate.At, (CheckOutcome)surrogate.Outcome, surrogate.Region, surrogate.ResponseTime);

    public CheckResultSurrogate ConvertToSurrogate(in CheckResult value) => new() { At = value.At, Outcome = (int)value.Outcome, Region = value.Region, ResponseTime = value.ResponseTime };
}

/// <summary>A <see cref="Component"/>: its id and whether it is critical.</summary>
[GenerateSerializer, Immutable, Alias("slagrains.component")]
internal readonly record struct ComponentSurrogate
{
    [Id(0)] public string Id { get; init; }

    [Id(1)] public bool IsCritical { get; init; }

    // Issue 20 — incidents linked to tickets
    [Id(140)] public bool OpensTicketOnOutage { get; init; }
}

[RegisterConverter]
internal sealed class ComponentConverter : IConverter<Component, ComponentSurrogate>
{
    public Component ConvertFromSurrogate(in ComponentSurrogate surrogate) => new(surrogate.Id, surrogate.IsCritical) { OpensTicketOnOutage = surrogate.OpensTicketOnOutage };

    public ComponentSurrogate ConvertToSurrogate(in Component value) => new() { Id = value.Id, IsCritical = value.IsCritical, OpensTicketOnOutage = value.OpensTicketOnOutage };
}
