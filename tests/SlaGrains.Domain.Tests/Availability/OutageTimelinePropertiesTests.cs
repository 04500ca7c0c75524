using FsCheck.Xunit;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Tests.Availability;

public class OutageTimelinePropertiesTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 6, 1, 0, 0);
    private static readonly string[] Regions = ["eu", "us", "ap"];

    [Property]
    public bool The_timeline_agrees_with_a_minute_by_minute_majority_of_confirmed_failure_runs(bool[] failures, int n)
    {
        // failures[i] is the outcome of region i % 3 at minute i / 3; every region reports every minute.
        var consecutive = (((n % 3) + 3) % 3) + 1;
        var minutes = failures.Length / 3;
        var results = Enumerable.Range(0, minutes * 3)
            .Select(i => new CheckResult(T0 + Duration.FromMinutes(i / 3), failures[i] ? CheckOutcome.Down : CheckOutcome.Up, Regions[i % 3]))
            .Reverse()
            .ToList();

        var down = OutageTimeline.DownIntervals(results, consecutive);

        var regionDown = Regions.Select((_, r) => ConfirmedDown(Enumerable.Range(0, minutes).Select(m => failures[(m * 3) + r]).ToArray(), consecutive)).ToArray();
        return Enumerable.Range(0, minutes).All(m =>
        {
            var expected = regionDown.Count(flags => flags[m]) * 2 > Regions.Length;
            var actual = down.Any(d => d.Contains(T0 + Duration.FromMinutes(m)));
            return expected == actual;
        });
    }

    /// <summary>Reference model: a minute is down when it lies in a run of at least <paramref name="n"/> failures.</summary>
    private static bool[] ConfirmedDown(bool[] failed, int n)
    {
        var flags = new bool[failed.Length];
        var start = 0;
        while (start < failed.Length)
        {
            if (!failed[start])
            {
                start++;
                continue;
            }

            var end = start;
            while (end < failed.Length && failed[end])
            {
                end++;
            }

            if (end - start >= n)
            {
                Array.Fill(flags, true, start, end - start);
            }

            start = end;
        }

        return flags;
    }
}
