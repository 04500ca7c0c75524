using NodaTime;

namespace SlaGrains.Domain.Availability;

/// <summary>
/// Linear-time operations on sets of half-open <c>[start, end)</c> intervals, represented as lists sorted by
/// start, pairwise disjoint and non-adjacent ("normalised").
/// </summary>
internal static class IntervalSet
{
    /// <summary>
    /// Clips every interval to <paramref name="bounds"/> (a missing start counts from the bounds' start, a missing
    /// end — an ongoing interval — up to the bounds' end), drops what is empty, sorts once and merges overlapping
    /// or touching intervals, so overlapping time is counted once. <paramref name="bounds"/> must have both ends.
    /// </summary>
    public static List<Interval> Normalise(IEnumerable<Interval> intervals, Interval bounds)
    {
        var clipped = new List<Interval>();
        foreach (var interval in intervals)
        {
            var start = interval.HasStart && interval.Start > bounds.Start ? interval.Start : bounds.Start;
            var end = interval.HasEnd && interval.End < bounds.End ? interval.End : bounds.End;
            if (start < end)
            {
                clipped.Add(new Interval(start, end));
            }
        }

        clipped.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<Interval>(clipped.Count);
        foreach (var interval in clipped)
        {
            if (merged.Count > 0 && interval.Start <= merged[^1].End)
            {
                var last = merged[^1];
                if (interval.End > last.End)
                {
                    merged[^1] = new Interval(last.Start, interval.End);
                }
            }
            else
            {
                merged.Add(interval);
            }
        }

        return merged;
    }

    /// <summary>The parts of normalised <paramref name="from"/> not covered by normalised <paramref name="remove"/>.</summary>
    public static List<Interval> Subtract(IReadOnlyList<Interval> from, IReadOnlyList<Interval> remove)
    {
        var result = new List<Interval>(from.Count);
        var j = 0;
        foreach (var interval in from)
        {
            var start = interval.Start;
            var end = interval.End;
            while (j < remove.Count && remove[j].End <= start)
            {
                j++;
            }

            var k = j;
            while (k < remove.Count && remove[k].Start < end)
            {
                if (remove[k].Start > start)
                {
                    result.Add(new Interval(start, remove[k].Start));
                }

                if (remove[k].End > start)
                {
                    start = remove[k].End;
                }

                k++;
            }

            if (start < end)
            {
                result.Add(new Interval(start, end));
            }
        }

        return result;
    }

    /// <summary>The total length of normalised intervals.</summary>
    public static Duration Total(IReadOnlyList<Interval> intervals)
    {
        var total = Duration.Zero;
        foreach (var interval in intervals)
        {
            total += interval.Duration;
        }

        return total;
    }
}
