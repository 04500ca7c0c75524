using System.Collections.Immutable;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Slis;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Domain.Slis;

namespace SlaGrains.Grains.Slis;

/// <summary>One 5-minute bucket's counts.</summary>
[GenerateSerializer]
[Alias("slagrains.sli-bucket")]
[Immutable]
public sealed record SliBucket([property: Id(0)] Instant Start, [property: Id(1)] long Good, [property: Id(2)] long Total);

/// <summary>Counts as posted for <c>[From, To)</c>.</summary>
[GenerateSerializer]
[Alias("slagrains.sli-posted")]
[Immutable]
public sealed record SliPosted([property: Id(0)] Instant From, [property: Id(1)] Instant To, [property: Id(2)] long Good, [property: Id(3)] long Total);

/// <summary>An SLI's durable state: what <see cref="SliRules"/> needs, the recent alert firings and the webhook outbox.</summary>
[GenerateSerializer]
[Alias("slagrains.sli-state")]
public sealed class SliState
{
    /// <summary>The settings; null until configured.</summary>
    [Id(0)]
    public SliSettings? Settings { get; set; }

    /// <summary>The buckets, by start.</summary>
    [Id(1)]
    public List<SliBucket> Buckets { get; set; } = [];

    /// <summary>The time already counted: disjoint <c>[start, end)</c> in order.</summary>
    [Id(2)]
    public List<SliPosted> Covered { get; set; } = [];

    /// <summary>The intervals posted in the last 3 days, with their counts.</summary>
    [Id(3)]
    public List<SliPosted> Recent { get; set; } = [];

    /// <summary>The alerts firing now: name and start.</summary>
    [Id(4)]
    public Dictionary<string, Instant> Firing { get; set; } = [];

    /// <summary>The latest firings (started and stopped), oldest first, at most <see cref="SliGrain.MaxRecentAlerts"/>.</summary>
    [Id(5)]
    public List<BudgetAlertView> RecentAlerts { get; set; } = [];

    /// <summary><c>budget.burn</c> events written but perhaps not yet handed to the customer's webhooks.</summary>
    [Id(6)]
    public List<WebhookEvent> WebhooksPending { get; set; } = [];

    /// <summary>The rules as stored; null before configuration.</summary>
    public SliRules? ToRules()
    {
        if (Settings is not { } s)
        {
            return null;
        }

        return SliRules.New(s.ObjectivePercent, s.Window, s.Zone) with
        {
            Buckets = Buckets.ToImmutableSortedDictionary(b => b.Start, b => new EventCounts(b.Good, b.Total)),
            Covered = [.. Covered.Select(c => new Interval(c.From, c.To))],
            Recent = [.. Recent.Select(p => new PostedCounts(p.From, p.To, p.Good, p.Total))],
            Firing = [.. Firing.OrderBy(f => f.Value).Select(f => new SliFiring(f.Key, f.Value))],
        };
    }

    /// <summary>Stores <paramref name="rules"/>.</summary>
    public void Store(SliRules rules)
    {
        Buckets = [.. rules.Buckets.Select(b => new SliBucket(b.Key, b.Value.Good, b.Value.Total))];
        Covered = [.. rules.Covered.Select(c => new SliPosted(c.Start, c.End, 0, 0))];
        Recent = [.. rules.Recent.Select(p => new SliPosted(p.From, p.To, p.Good, p.Total))];
        Firing = rules.Firing.ToDictionary(f => f.Name, f => f.StartedAt);
    }
}

/// <summary>The SLI ids of one customer.</summary>
[GenerateSerializer]
[Alias("slagrains.customer-slis-state")]
public sealed class CustomerSlisState
{
    /// <summary>The ids, in order.</summary>
    [Id(0)]
    public List<string> Ids { get; set; } = [];
}
