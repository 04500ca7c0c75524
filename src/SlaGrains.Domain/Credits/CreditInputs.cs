namespace SlaGrains.Domain.Credits;

/// <summary>What a credit was computed from, kept with the result so it can be explained and audited.</summary>
public sealed record CreditInputs
{
    /// <summary>Creates the inputs.</summary>
    /// <param name="availabilityPercent">The month's availability percent in [0, 100]; cut to the reported
    /// 4 decimals (toward zero, as availability is reported: never overstated) before it is compared, so the credit
    /// agrees with what the customer sees.</param>
    /// <param name="terms">The contract's credit terms.</param>
    /// <exception cref="ArgumentException">The availability is outside [0, 100] or the terms are missing.</exception>
    public CreditInputs(decimal availabilityPercent, CreditTerms terms)
    {
        Guard.Percent(availabilityPercent, nameof(availabilityPercent));
        AvailabilityPercent = Math.Round(availabilityPercent, 4, MidpointRounding.ToZero);
        Terms = Guard.NotNull(terms, nameof(terms));
    }

    /// <summary>The reported availability percent, 4 decimals.</summary>
    public decimal AvailabilityPercent { get; }

    /// <summary>The credit terms applied.</summary>
    public CreditTerms Terms { get; }
}
