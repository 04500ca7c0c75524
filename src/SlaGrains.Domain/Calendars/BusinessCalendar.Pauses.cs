using NodaTime;

namespace SlaGrains.Domain.Calendars;

/// <summary>
/// Business time with pauses: intervals during which the clock is stopped even though the calendar is
/// open, as while a ticket waits on the customer. Pauses are instant intervals (<see cref="Interval"/>),
/// half-open, may overlap each other and may be open-ended; they are merged before use.
/// </summary>
public sealed partial class BusinessCalendar
{
    /// <summary>True when the calendar is open at <paramref name="instant"/> and no pause covers it.</summary>
    public bool IsOpen(Instant instant, IEnumerable<Interval> pauses)
        => IsOpen(instant) && !Merge(pauses).Any(p => p.Contains(instant));

    /// <summary>The earliest instant ≥ <paramref name="instant"/> that is open and not paused; null if none.</summary>
    public Instant? NextOpen(Instant instant, IEnumerable<Interval> pauses)
    {
        var merged = Merge(pauses);
        var candidate = NextOpen(instant);
        foreach (var pause in merged)
        {
            if (candidate is null)
            {
                return null;
            }

            if (pause.Contains(candidate.Value))
            {
                candidate = pause.HasEnd ? NextOpen(pause.End) : null;
            }
        }

        return candidate;
    }

    /// <summary>
    /// The earliest instant ≥ <paramref name="instant"/> that is closed or paused; null if it never closes.
    /// </summary>
    public Instant? NextClose(Instant instant, IEnumerable<Interval> pauses)
    {
        var merged = Merge(pauses);
        if (merged.Any(p => p.Contains(instant)))
        {
            return instant;
        }

        var close = NextClose(instant);
        var nextPause = merged.Where(p => p.HasStart && p.Start > instant).Select(p => (Instant?)p.Start).FirstOrDefault();
        return (close, nextPause) switch
        {
            (null, var p) => p,
            (var c, null) => c,
            (var c, var p) => c < p ? c : p,
        };
    }

    /// <summary>Business time in <c>[from, to)</c> minus the business time inside the pauses.</summary>
    /// <param name="from">Start (inclusive).</param>
    /// <param name="to">End (exclusive).</param>
    /// <param name="pauses">Intervals during which the clock is stopped.</param>
    /// <param name="cancellationToken">Checked once per pause, so a caller with a time budget can stop a long list.</param>
    /// <exception cref="ArgumentException">When <paramref name="to"/> is before <paramref name="from"/>.</exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled.</exception>
    public Duration Between(Instant from, Instant to, IEnumerable<Interval> pauses, CancellationToken cancellationToken = default)
    {
        var total = Between(from, to);
        foreach (var pause in Merge(pauses))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = pause.HasStart && pause.Start > from ? pause.Start : from;
            var end = pause.HasEnd && pause.End < to ? pause.End : to;
            if (end > start)
            {
                total -= Between(start, end);
            }
        }

        return total;
    }

    /// <summary>
    /// As <see cref="Add(Instant, Duration)"/>, with the clock stopped during <paramref name="pauses"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">When the duration is never used up (closed or paused for ever).</exception>
    public Instant Add(Instant start, Duration businessDuration, IEnumerable<Interval> pauses)
        => TryAdd(start, businessDuration, pauses, out var due)
            ? due
            : throw new InvalidOperationException($"{businessDuration} of business time is never used up after {start}: the calendar stays closed or paused.");

    /// <summary>As <see cref="Add(Instant, Duration, IEnumerable{Interval})"/>; false when never due.</summary>
    /// <param name="start">The instant counted from.</param>
    /// <param name="businessDuration">The business time to use up; not negative.</param>
    /// <param name="pauses">Intervals during which the clock is stopped.</param>
    /// <param name="due">When it is used up.</param>
    /// <param name="cancellationToken">Checked once per pause, so a caller with a time budget can stop a long list.</param>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled.</exception>
    public bool TryAdd(Instant start, Duration businessDuration, IEnumerable<Interval> pauses, out Instant due, CancellationToken cancellationToken = default)
        => TryAdd(start, businessDuration, pauses, null, out due, cancellationToken);

    /// <summary>
    /// As <see cref="TryAdd(Instant, Duration, IEnumerable{Interval}, out Instant, CancellationToken)"/>, searching no
    /// further than <paramref name="limit"/>: false when the duration is not used up by then, or never. Its cost is
    /// that of the days up to the due time or the limit, however sparse the calendar.
    /// </summary>
    /// <param name="start">The instant counted from.</param>
    /// <param name="businessDuration">The business time to use up; not negative.</param>
    /// <param name="pauses">Intervals during which the clock is stopped.</param>
    /// <param name="limit">The latest due time looked for.</param>
    /// <param name="due">When it is used up.</param>
    /// <param name="cancellationToken">Checked once per pause, so a caller with a time budget can stop a long list.</param>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled.</exception>
    public bool TryAddUpTo(Instant start, Duration businessDuration, IEnumerable<Interval> pauses, Instant limit, out Instant due, CancellationToken cancellationToken = default)
        => TryAdd(start, businessDuration, pauses, limit, out due, cancellationToken);

    private bool TryAdd(Instant start, Duration businessDuration, IEnumerable<Interval> pauses, Instant? limit, out Instant due, CancellationToken cancellationToken)
    {
        if (businessDuration == Duration.Zero)
        {
            var open = NextOpen(start, pauses);
            due = open.GetValueOrDefault();
            return open.HasValue && (limit is null || open.Value <= limit.Value);
        }

        // One pass over the merged pauses: the business time of each gap before a pause is measured (cheap: whole
        // weeks are summed arithmetically), and the due time is searched for only once, in the gap where it falls.
        // Searching from every gap instead made n pauses cost n full searches (1,000 pauses took most of a minute).
        var current = start;
        var remaining = businessDuration;
        foreach (var pause in Merge(pauses))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (pause.HasEnd && pause.End <= current)
            {
                continue;
            }

            if (limit is { } last && current > last)
            {
                due = default;
                return false;
            }

            if (pause.HasStart && pause.Start > current)
            {
                // Used up by the time the pause begins (exactly as it begins: due then, like a closing time).
                var gap = Between(current, limit is { } end && end < pause.Start ? end : pause.Start);
                if (gap >= remaining)
                {
                    return Search(current, remaining, limit, out due);
                }

                remaining -= gap;
            }

            if (!pause.HasEnd)
            {
                due = default;
                return false;
            }

            current = pause.End;
        }

        return Search(current, remaining, limit, out due);
    }

    private bool Search(Instant from, Duration remaining, Instant? limit, out Instant due)
        => limit is { } last ? TryAddWithin(from, remaining, last, out due) : TryAdd(from, remaining, out due);

    /// <summary>Sorts pauses by start and merges those that overlap or touch.</summary>
    private static List<Interval> Merge(IEnumerable<Interval> pauses)
    {
        ArgumentNullException.ThrowIfNull(pauses);
        var merged = new List<Interval>();
        foreach (var pause in pauses.OrderBy(p => p.HasStart ? p.Start : Instant.MinValue))
        {
            if (merged.Count > 0)
            {
                var last = merged[^1];
                if (!last.HasEnd || (pause.HasStart && pause.Start <= last.End))
                {
                    var end = !last.HasEnd || !pause.HasEnd ? (Instant?)null : Instant.Max(last.End, pause.End);
                    merged[^1] = new Interval(last.HasStart ? last.Start : null, end);
                    continue;
                }
            }

            merged.Add(pause);
        }

        return merged;
    }
}
