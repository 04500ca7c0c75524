using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Authentication;
using OpenTelemetry.Metrics;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain.Tickets;
using SlaGrains.Grains;
using SlaGrains.Server.Security;
using SlaGrains.Storage;

namespace SlaGrains.Server.Hosting;

/// <summary>
/// <c>/metrics</c>: the Prometheus text exposition of our meters (<see cref="SlaMetrics"/>, <see cref="StorageMetrics"/>,
/// <see cref="OpenClocksGauge"/>) and Orleans' own (<c>Microsoft.Orleans</c>: activations, messages, ...), through
/// OpenTelemetry's metrics pipeline and its Prometheus exporter. Read with a <c>metrics</c> API key or by an admin;
/// by anyone when <c>Metrics:AllowAnonymous=true</c>.
/// </summary>
/// <remarks>
/// OpenTelemetry rather than prometheus-net: Orleans and our grains already emit through
/// <see cref="System.Diagnostics.Metrics"/>, which OpenTelemetry reads as it is; it is the CNCF/Microsoft-maintained
/// pipeline with monthly releases, while prometheus-net's last release (8.2.1) is from early 2024.
/// </remarks>
internal static class PrometheusMetrics
{
    /// <summary>The scrape path.</summary>
    public const string Path = "/metrics";

    /// <summary>The setting that lets anyone read <see cref="Path"/>.</summary>
    public const string AllowAnonymousKey = "Metrics:AllowAnonymous";

    /// <summary>Orleans' meter (<c>Orleans.Runtime.Instruments</c>).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>The meters and the exporter.</summary>
    public static IServiceCollection AddSlaGrainsMetrics(this IServiceCollection services)
    {
        services.AddSingleton<OpenClocksGauge>();
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics
                .AddMeter(SlaMetrics.MeterName, StorageMetrics.MeterName, OpenClocksGauge.MeterName, OrleansMeter)
                .AddPrometheusExporter(options =>
                {
                    // A scrape reads counters as they are now (a test or an operator acting then scraping sees the act);
                    // the rate limits bound how often anyone can ask.
                    options.ScrapeResponseCacheDurationMilliseconds = 0;
                });

            // OpenTelemetry picks meters by name from the whole process. Meters made by a service container's
            // IMeterFactory (Orleans', the open-clocks gauge) belong to that host: with several hosts in one process
            // (tests) another host's would shadow ours — the first instrument of a name wins — and vanish with it.
            // Orleans' meters are made Prometheus-clean (promtool lints them): help text where Orleans gives none; its
            // millisecond histograms leave in seconds through OrleansSecondsBridge; its machine-memory gauges in
            // megabytes (not a base unit, and not this process's memory) are left out.
            ((IDeferredMeterProviderBuilder)metrics).Configure((provider, builder) =>
            {
                var own = provider.GetRequiredService<IMeterFactory>();
                builder.AddView(instrument =>
                    instrument.Meter.Scope is IMeterFactory factory && !ReferenceEquals(factory, own) ? MetricStreamConfiguration.Drop
                    : instrument.Meter.Name != OrleansMeter ? null
                    : OrleansSecondsBridge.Converts(instrument) || instrument.Unit is "MB" or "MiB" ? MetricStreamConfiguration.Drop
                    : string.IsNullOrEmpty(instrument.Description) ? new MetricStreamConfiguration { Description = $"Orleans' {instrument.Name}." }
                    : null);
            });
        });
        services.AddSingleton<OrleansSecondsBridge>();
        return services;
    }

    /// <summary>Maps <see cref="Path"/> behind its access rule.</summary>
    public static void MapSlaGrainsMetrics(this WebApplication app)
    {
        // The pipeline listens from here on (the host would build it at start); the gauge's instrument and the counters'
        // series exist from the start, whoever scrapes first.
        app.Services.GetRequiredService<MeterProvider>();
        app.Services.GetRequiredService<OpenClocksGauge>();
        app.Services.GetRequiredService<OrleansSecondsBridge>();
        SlaMetrics.StartSeriesAtZero();
        var anonymous = app.Configuration.GetValue(AllowAnonymousKey, defaultValue: false);
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
            {
                if (!anonymous && context.User.Identity?.IsAuthenticated != true && BearerKey(context) is { } key)
                {
                    // Prometheus sends a credential as "Authorization: Bearer" (scrape_config authorization); here the
                    // key is read from it as from X-Api-Key.
                    context.Request.Headers[ApiKeys.Header] = key;
                    if ((await context.AuthenticateAsync(ApiKeys.Scheme)).Principal is { } principal)
                    {
                        context.User = principal;
                    }
                }

                if (!anonymous && Refusal(context.User) is { } refusal)
                {
                    await refusal.ExecuteAsync(context);
                    return;
                }

                await next(context);
            }), optionsName: null)
            .AcceptsKeys(ApiKeyScope.Metrics, ApiKeyScope.Admin)
            .ExcludeFromDescription();
    }

    /// <summary>The token of an <c>Authorization: Bearer</c> header; null when there is none.</summary>
    private static string? BearerKey(HttpContext context)
    {
        var value = context.Request.Headers.Authorization.ToString();
        return value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && value.Length > 7 ? value[7..].Trim() : null;
    }

    /// <summary>Why <paramref name="user"/> may not read the metrics; null when they may.</summary>
    internal static IResult? Refusal(System.Security.Claims.ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: $"{Path} is read with a metrics API key (X-Api-Key) or by an admin; {AllowAnonymousKey}=true opens it to anyone.");
        }

        var caller = Caller.From(user);
        return caller.IsMetricsReader || caller.IsAdmin || caller.KeyScope == ApiKeyScope.Admin
            ? null
            : Api.Problems.Forbidden($"{Path} is read with a metrics or admin API key, or by an admin.");
    }
}

/// <summary>
/// <c>slagrains_open_clocks{metric,state}</c>: the ticket clocks that are open (running, paused, breached and still
/// running or paused), counted from the read model's <c>tickets</c> table by one grouped scan, at most every
/// <see cref="MaxAge"/> (a scrape waits at most <see cref="Wait"/> for a fresh count, else gets the last one). Every
/// metric × open state is exported, zeros included, so the series exist before the first ticket.
/// </summary>
/// <remarks>From the rows rather than from the grains: an idle ticket's grain is not active, its row always exists.</remarks>
internal sealed class OpenClocksGauge : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "SlaGrains.Server";

    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);
    private static readonly SlaMetric[] Metrics = [SlaMetric.FirstResponse, SlaMetric.Resolution, SlaMetric.NextReply];
    private static readonly ClockState[] OpenStates = [ClockState.Running, ClockState.Paused, ClockState.BreachedRunning, ClockState.BreachedPaused];

    private readonly IServiceProvider _services;
    private readonly ILogger<OpenClocksGauge> _logger;
    private readonly Meter _meter;
    private readonly KeyValuePair<string, object?>[][] _tags;
    private readonly Lock _gate = new();
    private long[] _counts = new long[Metrics.Length * OpenStates.Length];
    private long _countedAt;
    private Task? _counting;

    public OpenClocksGauge(IMeterFactory meters, IServiceProvider services, ILogger<OpenClocksGauge> logger)
    {
        _services = services;
        _logger = logger;
        _tags = [.. Metrics.SelectMany(m => OpenStates.Select(s => new KeyValuePair<string, object?>[] { new("metric", SlaMetrics.Label(m)), new("state", Label(s)) }))];
        _meter = meters.Create(MeterName);
        _meter.CreateObservableGauge(
            "slagrains_open_clocks",
            Observe,
            description: "Open ticket clocks (running, paused, breachedRunning, breachedPaused) by metric and state, from the read model (at most 10 s old).");
    }

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> Observe()
    {
        var counts = Current();
        var measurements = new Measurement<long>[counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            measurements[i] = new Measurement<long>(counts[i], _tags[i]);
        }

        return measurements;
    }

    /// <summary>The counts, recounted first when older than <see cref="MaxAge"/> (one count at a time).</summary>
    private long[] Current()
    {
        Task counting;
        lock (_gate)
        {
            if (_countedAt != 0 && Stopwatch.GetElapsedTime(_countedAt) < MaxAge)
            {
                return _counts;
            }

            if (_counting is not { IsCompleted: false })
            {
                _counting = Task.Run(CountAsync);
            }

            counting = _counting;
        }

        // The exporter collects synchronously; the read model is async (and ConfigureAwait(false) throughout).
        counting.Wait(Wait);
        return Volatile.Read(ref _counts);
    }

    private async Task CountAsync()
    {
        try
        {
            var rows = await _services.GetRequiredService<ITicketReadModel>().OpenClocksAsync().ConfigureAwait(false);
            var counts = new long[Metrics.Length * OpenStates.Length];
            foreach (var (metric, state, count) in rows)
            {
                var (m, s) = (Array.IndexOf(Metrics, metric), Array.IndexOf(OpenStates, state));
                if (m >= 0 && s >= 0)
                {
                    counts[(m * OpenStates.Length) + s] = count;
                }
            }

            lock (_gate)
            {
                Volatile.Write(ref _counts, counts);
                _countedAt = Stopwatch.GetTimestamp();
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            _logger.LogWarning(error, "Open clocks not counted for /metrics; the last count stays");
        }
    }

    private static string Label(ClockState state) => state switch
    {
        ClockState.Running => "running",
        ClockState.Paused => "paused",
        ClockState.BreachedRunning => "breachedRunning",
        ClockState.BreachedPaused => "breachedPaused",
        _ => "other",
    };
}

/// <summary>
/// Orleans' latency histograms in milliseconds (requests, activations, directory registrations, storage reads and
/// writes), recorded again in seconds, Prometheus's base unit, under the same names (<c>..._seconds</c>); the
/// millisecond originals are not exported. Only the Orleans instruments of this host's own meter factory.
/// </summary>
internal sealed class OrleansSecondsBridge : IDisposable
{
    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly MeterListener _listener = new();
    private readonly Meter _meter;
    private readonly ConcurrentDictionary<Instrument, Histogram<double>> _seconds = new();

    public OrleansSecondsBridge(IMeterFactory meters)
    {
        _meter = meters.Create(OpenClocksGauge.MeterName);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PrometheusMetrics.OrleansMeter && ReferenceEquals(instrument.Meter.Scope, meters) && Converts(instrument))
            {
                // Instruments are created once each (Orleans makes a few, once): a bounded set.
                _seconds.GetOrAdd(instrument, i => _meter.CreateHistogram(
                    i.Name,
                    unit: "s",
                    description: string.IsNullOrEmpty(i.Description) ? $"Orleans' {i.Name}, in seconds." : $"{i.Description} (in seconds)",
                    tags: null,
                    advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets }));
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) => _seconds.TryRemove(instrument, out Histogram<double>? _);
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<float>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Record(i, value, tags));
        _listener.Start();
    }

    /// <summary>An Orleans histogram in milliseconds (exported in seconds by this bridge instead).</summary>
    public static bool Converts(Instrument instrument)
        => instrument.Unit == "ms" && instrument.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(Histogram<>);

    public void Dispose()
    {
        _listener.Dispose();
        _meter.Dispose();
    }

    private void Record(Instrument instrument, double milliseconds, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_seconds.TryGetValue(instrument, out var seconds))
        {
            seconds.Record(milliseconds / 1000, tags);
        }
    }
}
