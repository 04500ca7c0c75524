using NodaTime;

namespace SlaGrains.Domain.Availability;

/// <summary>
/// A planned maintenance window, half-open <c>[Start, End)</c>. It is <em>excluded</em> from the availability
/// period only if it was announced at least the contract's notice before it started; otherwise it is ignored
/// and any downtime inside it counts as ordinary downtime.
/// </summary>
public sealed record MaintenanceWindow
{
    /// <summary>The notice a contract requires by default before maintenance: 48 hours.</summary>
    public static readonly Duration DefaultNotice = Duration.FromHours(48);

    /// <summary>Creates a window <c>[start, end)</c>.</summary>
    /// <param name="start">First instant of the window (inclusive).</param>
    /// <param name="end">End of the window (exclusive); must not be before <paramref name="start"/>.</param>
    /// <param name="announcedAt">When customers were told; <c>null</c> means the window counts as announced in time
    /// (for example maintenance written into the contract).</param>
    /// <exception cref="ArgumentException"><paramref name="end"/> is before <paramref name="start"/>.</exception>
    public MaintenanceWindow(Instant start, Instant end, Instant? announcedAt = null)
    {
        Guard.Ordered(start, end, nameof(end));
        Start = start;
        End = end;
        AnnouncedAt = announcedAt;
    }

    /// <summary>First instant of the window (inclusive).</summary>
    public Instant Start { get; }

    /// <summary>End of the window (exclusive).</summary>
    public Instant End { get; }

    /// <summary>When the window was announced; <c>null</c> means it counts as announced in time.</summary>
    public Instant? AnnouncedAt { get; }

    /// <summary>The window as a half-open interval <c>[Start, End)</c>.</summary>
    public Interval Interval => new(Start, End);

    /// <summary>
    /// Whether the window is excluded from availability under a contract requiring <paramref name="notice"/>:
    /// true when it was never given an announcement instant, or was announced at or before <c>Start − notice</c>
    /// (exactly the notice is enough).
    /// </summary>
    /// <param name="notice">The contract's maintenance notice; must not be negative.</param>
    public bool IsExcluded(Duration notice)
    {
        if (notice < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(notice), notice, $"{nameof(notice)} must not be negative; got {notice}.");
        }

        return AnnouncedAt is not { } announced || announced <= Start - notice;
    }
}
