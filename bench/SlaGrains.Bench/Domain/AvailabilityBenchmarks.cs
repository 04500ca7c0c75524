using BenchmarkDotNet.Attributes;
using NodaTime;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Bench.Domain;

/// <summary>
/// A month's availability from raw checks: <see cref="OutageTimeline.DownIntervals"/> then
/// <see cref="AvailabilityReport.Compute"/>, for 10,000 single-region results over January 2025 in Berlin.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory(DomainGoals.Availability)]
public class AvailabilityBenchmarks
{
    private const int CheckCount = 10_000;

    // A run of 2–8 failures (mean 5) starts at a healthy check with this probability: about 2 % failures.
    private const double RunStartProbability = 0.0041;

    private Interval _month;
    private CheckResult[] _results = null!;
    private MaintenanceWindow[] _maintenance = null!;

    [GlobalSetup]
    public void Setup()
    {
        _month = ReportingPeriod.Month(new YearMonth(2025, 1), DomainFixtures.Zone); // 31 days, no DST change
        var step = _month.Duration / CheckCount; // about every 4.5 minutes
        var random = new Random(42);
        _results = new CheckResult[CheckCount];
        var failuresLeft = 0;
        for (var i = 0; i < CheckCount; i++)
        {
            if (failuresLeft == 0 && random.NextDouble() < RunStartProbability)
            {
                failuresLeft = random.Next(2, 9);
            }

            // Probes drift by up to a few seconds around their slot; slots are minutes apart, so order is kept.
            var at = _month.Start + (step * i) + Duration.FromMilliseconds(random.Next(0, 5_000));
            _results[i] = failuresLeft > 0 ? CheckResult.Down(at) : CheckResult.Up(at);
            failuresLeft = Math.Max(0, failuresLeft - 1);
        }

        var failures = _results.Count(r => r.IsDown);
        if (failures is < CheckCount / 100 or > CheckCount * 3 / 100)
        {
            throw new InvalidOperationException($"{failures} of {CheckCount} checks failed; the benchmark expects about 2 %.");
        }

        _maintenance =
        [
            // Announced a week ahead: excluded.
            new(DomainFixtures.Berlin(2025, 1, 12, 2, 0), DomainFixtures.Berlin(2025, 1, 12, 4, 0), DomainFixtures.Berlin(2025, 1, 5, 10, 0)),

            // Announced the same morning, short of the 48-hour notice: ignored, downtime inside it counts.
            new(DomainFixtures.Berlin(2025, 1, 20, 22, 0), DomainFixtures.Berlin(2025, 1, 20, 23, 0), DomainFixtures.Berlin(2025, 1, 20, 9, 0)),
        ];
    }

    /// <summary>Down intervals from the month's 10,000 checks, then the month's report.</summary>
    [Benchmark]
    public AvailabilityReport MonthOf10000Checks()
    {
        var down = OutageTimeline.DownIntervals(_results);
        return AvailabilityReport.Compute(_month, down, _maintenance);
    }
}
