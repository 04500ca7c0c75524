using System.Collections.Immutable;
using SlaGrains.Domain.Credits;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Contracts.Serialization;

/// <summary>A <see cref="TicketCreditClause"/>: the metric, the priorities, the compliance tiers and the clause's own cap.</summary>
[GenerateSerializer, Immutable, Alias("slagrains.ticket-credit-clause")]
internal readonly record struct TicketCreditClauseSurrogate
{
    [Id(0)] public SlaMetric Metric { get; init; }

    [Id(1)] public ImmutableArray<TicketPriority> Priorities { get; init; }

    [Id(2)] public CreditSchedule Tiers { get; init; }

    [Id(3)] public decimal CapPercent { get; init; }
}

[RegisterConverter]
internal sealed class TicketCreditClauseConverter : IConverter<TicketCreditClause, TicketCreditClauseSurrogate>
{
    public TicketCreditClause ConvertFromSurrogate(in TicketCreditClauseSurrogate surrogate)
        => new(surrogate.Metric, surrogate.Priorities.IsDefault ? [] : surrogate.Priorities, surrogate.Tiers, surrogate.CapPercent);

    public TicketCreditClauseSurrogate ConvertToSurrogate(in TicketCreditClause value)
        => new() { Metric = value.Metric, Priorities = value.Priorities, Tiers = value.Tiers, CapPercent = value.CapPercent };
}
