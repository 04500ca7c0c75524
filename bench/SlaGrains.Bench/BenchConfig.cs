using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Perfolizer.Horology;

namespace SlaGrains.Bench;

/// <summary>Configuration shared by the suites: short jobs, one joined summary table.</summary>
internal static class BenchConfig
{
    /// <summary>
    /// One launch, 3 warmup and 8 measured iterations of about 250 ms each: a few seconds per benchmark, so a
    /// suite stays within minutes on a shared 2-core machine. Good enough to compare with the goals, not to
    /// resolve differences of a few percent; pass <c>--job default</c> for a full run.
    /// </summary>
    public static IConfig Short() => DefaultConfig.Instance
        .AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(8)
            .WithIterationTime(TimeInterval.FromMilliseconds(250))
            .WithId("Short"))
        .WithOptions(ConfigOptions.JoinSummary);

    /// <summary>
    /// BenchmarkDotNet asks interactively which benchmarks to run when no filter is given; a suite runs them
    /// all unless the caller filters (or only lists).
    /// </summary>
    public static string[] RunAllUnlessFiltered(string[] args)
        => args.Any(a => a is "--filter" or "-f" or "--list" or "--help" or "-h" or "--version" or "--info")
            ? args
            : [.. args, "--filter", "*"];
}
