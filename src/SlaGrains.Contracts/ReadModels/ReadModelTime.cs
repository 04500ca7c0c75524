namespace SlaGrains.Contracts.ReadModels;

/// <summary>
/// How read-model tables store time: instants as nanoseconds since the Unix epoch and durations as nanoseconds, in a
/// 64-bit integer (exact, sortable, the same on SQLite and PostgreSQL; covers 1678–2262).
/// </summary>
public static class ReadModelTime
{
    /// <summary>Nanoseconds since the Unix epoch.</summary>
    public static long Nanoseconds(Instant instant) => (instant - NodaConstants.UnixEpoch).ToInt64Nanoseconds();

    /// <summary>The instant <paramref name="nanoseconds"/> after the Unix epoch.</summary>
    public static Instant Instant(long nanoseconds) => NodaConstants.UnixEpoch + NodaTime.Duration.FromNanoseconds(nanoseconds);

    /// <summary>A duration in nanoseconds.</summary>
    public static long Nanoseconds(Duration duration) => duration.ToInt64Nanoseconds();

    /// <summary>The duration of <paramref name="nanoseconds"/>.</summary>
    public static Duration Duration(long nanoseconds) => NodaTime.Duration.FromNanoseconds(nanoseconds);
}
