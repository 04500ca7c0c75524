using System.Collections.Concurrent;

namespace SlaGrains.Grains.Tests;

/// <summary>
/// The system clock moved by an offset the test sets: real time still flows (timers fire after real seconds),
/// but "now" can be a second before a month ends in March. One per cluster, found by its database path.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private static readonly ConcurrentDictionary<string, ShiftedClock> Clocks = new(StringComparer.Ordinal);

    private TimeSpan _offset;

    public static ShiftedClock For(string key) => Clocks.GetOrAdd(key, _ => new ShiftedClock());

    /// <summary>Makes now equal <paramref name="instant"/> (then it moves on in real time).</summary>
    public void Set(Instant instant) => _offset = instant.ToDateTimeOffset() - System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;
}
