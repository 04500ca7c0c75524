namespace SlaGrains.Domain.Credits;

/// <summary>
/// One band of a credit schedule: a monthly availability in the half-open range
/// [<see cref="MinPercent"/>, <see cref="MaxPercent"/>) earns <see cref="CreditPercent"/> % of the monthly fee.
/// A value equal to <see cref="MinPercent"/> belongs to this tier; a value equal to <see cref="MaxPercent"/> does not
/// (it belongs to the next higher tier, or earns nothing above the top tier).
/// </summary>
public sealed record CreditTier
{
    /// <summary>Creates a tier.</summary>
    /// <param name="minPercent">Inclusive lower bound, availability percent in [0, 100].</param>
    /// <param name="maxPercent">Exclusive upper bound, availability percent in [0, 100]; must exceed <paramref name="minPercent"/>.</param>
    /// <param name="creditPercent">Credit as a percent of the monthly fee, in [0, 100].</param>
    /// <exception cref="ArgumentException">A bound or the credit is out of range, or min is not below max.</exception>
    public CreditTier(decimal minPercent, decimal maxPercent, decimal creditPercent)
    {
        MinPercent = Guard.Percent(minPercent, nameof(minPercent));
        MaxPercent = Guard.Percent(maxPercent, nameof(maxPercent));
        if (minPercent >= maxPercent)
        {
            throw new ArgumentException(
                $"{nameof(minPercent)} must be below {nameof(maxPercent)}; got [{minPercent}, {maxPercent}).",
                nameof(minPercent));
        }

        CreditPercent = Guard.Percent(creditPercent, nameof(creditPercent));
    }

    /// <summary>Inclusive lower bound, availability percent (99.0 means 99.0 %).</summary>
    public decimal MinPercent { get; }

    /// <summary>Exclusive upper bound, availability percent.</summary>
    public decimal MaxPercent { get; }

    /// <summary>Credit earned in this tier, percent of the monthly fee, before any cap.</summary>
    public decimal CreditPercent { get; }

    /// <summary>True when <paramref name="availabilityPercent"/> lies in [min, max).</summary>
    /// <param name="availabilityPercent">Availability percent.</param>
    public bool Contains(decimal availabilityPercent) =>
        MinPercent <= availabilityPercent && availabilityPercent < MaxPercent;

    /// <summary>The tier as a person reads it, for example <c>[99.0 %, 99.9 %) → 10 %</c>.</summary>
    public override string ToString() =>
        $"[{CreditText.Bound(MinPercent)} %, {CreditText.Bound(MaxPercent)} %) → {CreditText.Share(CreditPercent)} %";
}
