using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SlaGrains.Storage;

/// <summary>
/// How long the stores take to write, for Prometheus (<c>/metrics</c>): grain state (every grain's durable write) and
/// read-model rows, by provider. Meter <see cref="MeterName"/>; the labels are two closed sets.
/// </summary>
public static class StorageMetrics
{
    /// <summary>The meter's name (exported by the server's <c>/metrics</c>).</summary>
    public const string MeterName = "SlaGrains.Storage";

    internal const string GrainState = "grainState";
    internal const string ReadModel = "readModel";
    internal const string Sqlite = "sqlite";
    internal const string Postgres = "postgresql";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> WriteDuration = Meter.CreateHistogram(
        "slagrains_storage_write_duration",
        unit: "s",
        description: "Time to commit one write (a grain state write or clear, a batch of read-model rows), by store and provider; failed writes included.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    /// <summary>Records a write that began at <paramref name="started"/> (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    internal static void Written(string store, string provider, long started)
        => WriteDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new TagList { { "store", store }, { "provider", provider } });

    /// <summary>Awaits <paramref name="write"/> and records how long it took.</summary>
    internal static async Task Timed(Func<Task> write, string store, string provider)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await write().ConfigureAwait(false);
        }
        finally
        {
            Written(store, provider, started);
        }
    }
}
