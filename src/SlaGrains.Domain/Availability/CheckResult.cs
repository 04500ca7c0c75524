using NodaTime;

namespace SlaGrains.Domain.Availability;

/// <summary>What one probe of a monitor observed.</summary>
public enum CheckOutcome
{
    /// <summary>The check succeeded: the service answered as expected.</summary>
    Up,

    /// <summary>The check failed: no answer, an error, or an unexpected answer.</summary>
    Down,
}

/// <summary>
/// One result of an uptime check: the instant the probe ran, what it observed, and optionally the region
/// it ran from. Results from a monitor that probes from one place carry no region (<c>null</c>).
/// </summary>
/// <param name="At">The instant the check ran.</param>
/// <param name="Outcome">Up or down.</param>
/// <param name="Region">The probing region (for example <c>eu-west</c>); <c>null</c> for a single-location monitor,
/// which then counts as one region of its own (the same one as an empty name). Compared ordinally.</param>
/// <param name="ResponseTime">How long the probe waited for the full answer; <c>null</c> when unknown (a pushed result)
/// or when no answer came. Informational: it never decides up or down.</param>
public readonly record struct CheckResult(Instant At, CheckOutcome Outcome, string? Region = null, Duration? ResponseTime = null)
{
    /// <summary>A successful check at <paramref name="at"/>, optionally from <paramref name="region"/>.</summary>
    public static CheckResult Up(Instant at, string? region = null) => new(at, CheckOutcome.Up, region);

    /// <summary>A failed check at <paramref name="at"/>, optionally from <paramref name="region"/>.</summary>
    public static CheckResult Down(Instant at, string? region = null) => new(at, CheckOutcome.Down, region);

    /// <summary>Whether the check failed.</summary>
    public bool IsDown => Outcome == CheckOutcome.Down;
}
