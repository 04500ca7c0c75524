using System.Collections.Immutable;

namespace SlaGrains.Contracts.Integrations;

/// <summary>One ticket source's configuration (key: the source's name, e.g. <c>generic</c>, <c>zendesk</c>).</summary>
public interface IIntegrationGrain : IGrainWithStringKey
{
    /// <summary>The configuration; null when none was saved (the source's defaults apply, no secret).</summary>
    Task<IntegrationSettings?> Get();

    /// <summary>Replaces the configuration (durable when the call returns).</summary>
    Task Set(IntegrationSettings settings);
}

/// <summary>How a source's words map to ours, and its secret.</summary>
/// <param name="Secret">The shared secret signatures are checked with; null for none. Never shown.</param>
/// <param name="Statuses">The source's status names (case-insensitive) to ours (<c>new</c> ... <c>closed</c>).</param>
/// <param name="Priorities">The source's priority names (case-insensitive) to ours (<c>p1</c>–<c>p4</c>).</param>
/// <param name="Organisations">The source's organisation ids to our customer ids.</param>
/// <param name="EscalatePast">Warnings and breaches that fell due before a sync request are escalated too (else only recorded).</param>
[GenerateSerializer]
[Alias("slagrains.integration-settings")]
[Immutable]
public sealed record IntegrationSettings(
    [property: Id(0)] string? Secret,
    [property: Id(1)] ImmutableDictionary<string, string> Statuses,
    [property: Id(2)] ImmutableDictionary<string, string> Priorities,
    [property: Id(3)] ImmutableDictionary<string, string> Organisations,
    [property: Id(4)] bool EscalatePast);
