using System.Globalization;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SlaGrains.Bench.Domain;

/// <summary>The <c>domain</c> suite: runs the domain benchmarks, then prints each goal with the measured verdict.</summary>
internal static class DomainSuite
{
    private static readonly Type[] Benchmarks =
    [
        typeof(BusinessCalendarBenchmarks),
        typeof(TicketSlaBenchmarks),
        typeof(AvailabilityBenchmarks),
    ];

    /// <summary>Runs the suite with BenchmarkDotNet options <paramref name="args"/>; 1 when a benchmark failed to run.</summary>
    public static int Run(string[] args)
    {
        var summaries = BenchmarkSwitcher.FromTypes(Benchmarks)
            .Run(BenchConfig.RunAllUnlessFiltered(args), BenchConfig.Short())
            .ToList();
        var reports = summaries.SelectMany(s => s.Reports).ToList();
        if (reports.Count == 0)
        {
            return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
        }

        Console.WriteLine();
        Console.WriteLine("Goals (mean time per operation; the verdicts are computed from the table above):");
        foreach (var goal in DomainGoals.All)
        {
            Console.WriteLine(Invariant($"  {goal.Text}: goal <= {Format(goal.LimitNanoseconds)}"));
            var measured = reports.Where(r => r.BenchmarkCase.Descriptor.Categories.Contains(goal.Category)).ToList();
            foreach (var report in measured)
            {
                Console.WriteLine($"    {Verdict(report, goal.LimitNanoseconds)}");
            }

            if (measured.Count == 0)
            {
                Console.WriteLine("    (not run: filtered out)");
            }
        }

        var failed = reports.Where(r => r.ResultStatistics is null).ToList();
        foreach (var report in failed)
        {
            Console.Error.WriteLine($"Benchmark {Name(report)} produced no measurements.");
        }

        return failed.Count > 0 || summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
    }

    private static string Verdict(BenchmarkReport report, double limitNanoseconds)
    {
        if (report.ResultStatistics is not { } statistics)
        {
            return $"NO DATA  {Name(report)}";
        }

        var mean = statistics.Mean; // nanoseconds per operation (OperationsPerInvoke already divided out)
        var verdict = mean <= limitNanoseconds ? "MET   " : "MISSED";
        return Invariant($"{verdict}  {Name(report)}: {Format(mean)} ({mean / limitNanoseconds:P0} of the goal)");
    }

    private static string Name(BenchmarkReport report)
        => $"{report.BenchmarkCase.Descriptor.Type.Name}.{report.BenchmarkCase.Descriptor.WorkloadMethod.Name}";

    private static string Format(double nanoseconds)
        => nanoseconds < 1_000 ? Invariant($"{nanoseconds:0.#} ns") : Invariant($"{nanoseconds / 1_000:0.###} µs");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
