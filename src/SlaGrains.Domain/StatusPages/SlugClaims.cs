using System.Collections.Immutable;

namespace SlaGrains.Domain.StatusPages;

/// <summary>
/// Who holds which public status-page slug. Invariants: a slug is held by at most one customer, a customer holds at
/// most one slug; a claim of a slug another customer holds is refused and changes nothing; a customer's claim of a new
/// slug releases the one it held. Pure: the caller keeps the holders (slug → customer id) and applies the decision.
/// </summary>
public static class SlugClaims
{
    /// <summary>Whether <paramref name="customerId"/> may hold <paramref name="slug"/> given <paramref name="holders"/>, and which of its slugs that releases.</summary>
    public static SlugDecision Decide(IReadOnlyDictionary<string, string> holders, string slug, string customerId)
    {
        ArgumentNullException.ThrowIfNull(holders);
        ArgumentException.ThrowIfNullOrEmpty(slug);
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        if (holders.TryGetValue(slug, out var holder) && holder != customerId)
        {
            return new SlugDecision(new Rejection("slug-taken", $"The slug '{slug}' is held by another customer's status page."), []);
        }

        return new SlugDecision(null, [.. holders.Where(h => h.Value == customerId && h.Key != slug).Select(h => h.Key).Order(StringComparer.Ordinal)]);
    }

    /// <summary>The holders after an accepted <paramref name="decision"/>: the released slugs gone, <paramref name="slug"/> held by <paramref name="customerId"/>.</summary>
    public static ImmutableDictionary<string, string> Apply(ImmutableDictionary<string, string> holders, string slug, string customerId, SlugDecision decision)
    {
        ArgumentNullException.ThrowIfNull(holders);
        ArgumentNullException.ThrowIfNull(decision);
        return decision.Accepted ? holders.RemoveRange(decision.Released).SetItem(slug, customerId) : holders;
    }
}

/// <summary>The answer to a claim.</summary>
/// <param name="Rejection">Why not (the slug is another customer's); null when accepted.</param>
/// <param name="Released">The claimant's other slugs, which the claim frees for anyone (empty when refused).</param>
public sealed record SlugDecision(Rejection? Rejection, ImmutableArray<string> Released)
{
    /// <summary>True when the claimant may hold the slug.</summary>
    public bool Accepted => Rejection is null;
}
