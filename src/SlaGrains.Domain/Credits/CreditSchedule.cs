namespace SlaGrains.Domain.Credits;

/// <summary>
/// A progressive credit schedule: contiguous, non-overlapping tiers <c>[min %, max %) → credit %</c> that together
/// cover every availability from 0 % up to (excluding) the top tier's max. Availability at or above
/// <see cref="TopPercent"/> earns no credit. The tiers may be given in any order; they are kept from the highest
/// band to the lowest.
/// </summary>
/// <remarks>
/// Invariants, checked by the constructor: at least one tier; the lowest tier starts at 0 %; each tier ends exactly
/// where the next higher one starts (no gap, no overlap); a lower band never earns a smaller credit than a higher
/// one, so credits are monotone: lower availability never gives a smaller credit.
/// </remarks>
public sealed record CreditSchedule
{
    private readonly CreditTier[] _tiers;

    /// <summary>Creates a schedule from tiers given in any order.</summary>
    /// <param name="tiers">The tiers; see the type's invariants.</param>
    /// <exception cref="ArgumentException">The tiers are empty, overlap, leave a gap (say which), do not start at 0 %,
    /// or a lower band earns less than a higher one.</exception>
    public CreditSchedule(IEnumerable<CreditTier> tiers)
    {
        Guard.NotNull(tiers, nameof(tiers));
        var ascending = tiers.Select(t => Guard.NotNull(t, nameof(tiers))).OrderBy(t => t.MinPercent).ThenBy(t => t.MaxPercent).ToArray();
        if (ascending.Length == 0)
        {
            throw new ArgumentException("tiers must contain at least one credit tier.", nameof(tiers));
        }

        if (ascending[0].MinPercent != 0m)
        {
            throw new ArgumentException(
                $"tiers leave a gap [0.0 %, {CreditText.Bound(ascending[0].MinPercent)} %) below the lowest tier {ascending[0]}; the lowest tier must start at 0 %.",
                nameof(tiers));
        }

        for (var i = 1; i < ascending.Length; i++)
        {
            var lower = ascending[i - 1];
            var higher = ascending[i];
            if (higher.MinPercent < lower.MaxPercent)
            {
                var overlapEnd = Math.Min(lower.MaxPercent, higher.MaxPercent);
                throw new ArgumentException(
                    $"tiers {lower} and {higher} overlap on [{CreditText.Bound(higher.MinPercent)} %, {CreditText.Bound(overlapEnd)} %); every availability must fall in exactly one tier.",
                    nameof(tiers));
            }

            if (higher.MinPercent > lower.MaxPercent)
            {
                throw new ArgumentException(
                    $"tiers {lower} and {higher} leave a gap [{CreditText.Bound(lower.MaxPercent)} %, {CreditText.Bound(higher.MinPercent)} %) that no tier covers.",
                    nameof(tiers));
            }

            if (lower.CreditPercent < higher.CreditPercent)
            {
                throw new ArgumentException(
                    $"tiers must be progressive: the lower tier {lower} earns less than the higher tier {higher}.",
                    nameof(tiers));
            }
        }

        Array.Reverse(ascending);
        _tiers = ascending;
    }

    /// <summary>
    /// The usual schedule: [99.0 %, 99.9 %) → 10 %, [95.0 %, 99.0 %) → 25 %, [0.0 %, 95.0 %) → 50 %;
    /// 99.9 % and above → no credit.
    /// </summary>
    public static CreditSchedule Default { get; } = new(
    [
        new CreditTier(99.0m, 99.9m, 10m),
        new CreditTier(95.0m, 99.0m, 25m),
        new CreditTier(0.0m, 95.0m, 50m),
    ]);

    /// <summary>The tiers from the highest availability band to the lowest.</summary>
    public IReadOnlyList<CreditTier> Tiers => _tiers;

    /// <summary>The top tier's exclusive max, availability percent: at or above it no credit is due.</summary>
    public decimal TopPercent => _tiers[0].MaxPercent;

    /// <summary>The tier containing <paramref name="availabilityPercent"/>, or <see langword="null"/> when it is
    /// at or above <see cref="TopPercent"/>.</summary>
    /// <param name="availabilityPercent">Availability percent in [0, 100].</param>
    /// <exception cref="ArgumentException">The availability is outside [0, 100].</exception>
    public CreditTier? TierFor(decimal availabilityPercent)
    {
        Guard.Percent(availabilityPercent, nameof(availabilityPercent));
        return Array.Find(_tiers, t => t.Contains(availabilityPercent));
    }

    /// <summary>The schedule as contract text, highest band first, for example
    /// <c>[99.0 %, 99.9 %) → 10 %; [95.0 %, 99.0 %) → 25 %; [0.0 %, 95.0 %) → 50 %</c>.</summary>
    public string Describe() => string.Join("; ", _tiers.Select(t => t.ToString()));

    /// <summary>Two schedules are equal when they have the same tiers.</summary>
    /// <param name="other">The other schedule.</param>
    public bool Equals(CreditSchedule? other) => other is not null && _tiers.SequenceEqual(other._tiers);

    /// <summary>A hash over the tiers.</summary>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var tier in _tiers)
        {
            hash.Add(tier);
        }

        return hash.ToHashCode();
    }

    /// <summary>The schedule text (see <see cref="Describe"/>).</summary>
    public override string ToString() => Describe();
}
