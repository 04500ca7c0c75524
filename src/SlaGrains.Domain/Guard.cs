namespace SlaGrains.Domain;

/// <summary>
/// Argument checks shared by the domain's constructors. Constructors reject nonsense with an
/// <see cref="ArgumentException"/> whose message names the field and the rule; expected failures of
/// commands are values (see <see cref="Rejection"/>), not exceptions.
/// </summary>
internal static class Guard
{
    /// <summary>A percentage of availability or a target: must lie in (0, 100].</summary>
    public static decimal TargetPercent(decimal value, string name)
    {
        if (value <= 0m || value > 100m)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a percentage in (0, 100]; got {value}.");
        }

        return value;
    }

    /// <summary>A percentage that may be zero: must lie in [0, 100].</summary>
    public static decimal Percent(decimal value, string name)
    {
        if (value < 0m || value > 100m)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a percentage in [0, 100]; got {value}.");
        }

        return value;
    }

    /// <summary>Money amounts (fees) are never negative.</summary>
    public static decimal NonNegative(decimal value, string name)
    {
        if (value < 0m)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative; got {value}.");
        }

        return value;
    }

    /// <summary>A duration that must be strictly positive (SLA targets, windows).</summary>
    public static NodaTime.Duration Positive(NodaTime.Duration value, string name)
    {
        if (value <= NodaTime.Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be greater than zero; got {value}.");
        }

        return value;
    }

    /// <summary>An interval given by its ends: the end must not precede the start.</summary>
    public static void Ordered(NodaTime.Instant start, NodaTime.Instant end, string name)
    {
        if (end < start)
        {
            throw new ArgumentException($"{name}: end {end} is before start {start}.", name);
        }
    }

    /// <summary>Any reference argument that must be present.</summary>
    public static T NotNull<T>(T? value, string name)
        where T : class
        => value ?? throw new ArgumentNullException(name, $"{name} is required.");
}
