using System.Collections.Immutable;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Contracts.Customers;

/// <summary>
/// One reclassification of a monitor's incident as the customer keeps it (issue 20): the part, the cause, the reason and
/// the audit (who, when), with what it did — excluded or still downtime under the contract at the time, and the closed
/// months whose ledger got an adjustment.
/// </summary>
/// <param name="Id">Stable id, <c>{incident}.c{n}</c>.</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="IncidentId">The monitor's incident.</param>
/// <param name="MonitorId">Its monitor.</param>
/// <param name="Class">The cause.</param>
/// <param name="From">First instant reclassified.</param>
/// <param name="To">End (exclusive).</param>
/// <param name="Reason">Why.</param>
/// <param name="By">Who.</param>
/// <param name="At">When.</param>
/// <param name="Excluded">Whether the contract excluded the class when it was recorded (and the component was critical).</param>
/// <param name="Clause">The contract's clause for the class then; null when it had none.</param>
/// <param name="AdjustedMonths">Closed months whose credit got a ledger adjustment for it.</param>
[GenerateSerializer]
[Alias("slagrains.exclusion-incident-classification")]
[Immutable]
public sealed record IncidentClassificationView(
    [property: Id(0)] string Id,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] string IncidentId,
    [property: Id(3)] string MonitorId,
    [property: Id(4)] ExclusionClass Class,
    [property: Id(5)] Instant From,
    [property: Id(6)] Instant To,
    [property: Id(7)] string Reason,
    [property: Id(8)] string By,
    [property: Id(9)] Instant At,
    [property: Id(10)] bool Excluded,
    [property: Id(11)] string? Clause,
    [property: Id(12)] ImmutableArray<YearMonth> AdjustedMonths)
{
    /// <summary>The domain's classification.</summary>
    public IncidentClassification ToDomain() => new(Id, IncidentId, MonitorId, Class, From, To, Reason, By, At);
}

/// <summary>A reclassification asked of the customer (checked by the application first; the grain decides the rest).</summary>
/// <param name="IncidentId">The monitor's incident.</param>
/// <param name="MonitorId">Its monitor.</param>
/// <param name="IncidentStart">The incident's first failure.</param>
/// <param name="IncidentEnd">Its end; null while ongoing.</param>
/// <param name="Class">The cause.</param>
/// <param name="From">First instant; null: the incident's start.</param>
/// <param name="To">End; null: the incident's end (now while ongoing).</param>
/// <param name="Reason">Why.</param>
/// <param name="By">Who.</param>
[GenerateSerializer]
[Alias("slagrains.exclusion-reclassify")]
[Immutable]
public sealed record IncidentReclassification(
    [property: Id(0)] string IncidentId,
    [property: Id(1)] string MonitorId,
    [property: Id(2)] Instant IncidentStart,
    [property: Id(3)] Instant? IncidentEnd,
    [property: Id(4)] ExclusionClass Class,
    [property: Id(5)] Instant? From,
    [property: Id(6)] Instant? To,
    [property: Id(7)] string Reason,
    [property: Id(8)] string By);

/// <summary>The answer to a reclassification: the one recorded, or the field at fault, or why nothing changed.</summary>
/// <param name="Classification">The classification recorded (durable); null when refused.</param>
/// <param name="Field">The field at fault for bad input (<c>from</c>, <c>to</c>, <c>reason</c>, <c>class</c>); null otherwise.</param>
/// <param name="Rejection">Why it was refused; null when accepted.</param>
[GenerateSerializer]
[Alias("slagrains.exclusion-classification-result")]
[Immutable]
public sealed record ClassificationResult(
    [property: Id(0)] IncidentClassificationView? Classification,
    [property: Id(1)] string? Field,
    [property: Id(2)] Domain.Rejection? Rejection)
{
    /// <summary>True when accepted (and durable).</summary>
    public bool Accepted => Rejection is null;
}

/// <summary>A period's excluded time by cause (maintenance first, then each class); the parts sum to the excluded total.</summary>
[GenerateSerializer]
[Alias("slagrains.exclusion-excluded-time")]
[Immutable]
public sealed record ExcludedTimeView(
    [property: Id(0)] Duration Maintenance,
    [property: Id(1)] Duration CustomerCaused,
    [property: Id(2)] Duration ForceMajeure,
    [property: Id(3)] Duration ThirdParty)
{
    /// <summary>The view of the domain's split.</summary>
    public static ExcludedTimeView From(ExcludedTime time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return new(time.Maintenance, time.CustomerCaused, time.ForceMajeure, time.ThirdParty);
    }
}
