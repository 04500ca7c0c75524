using System.Diagnostics;
using System.Diagnostics.Metrics;
using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Grains;

/// <summary>
/// What the grains count for Prometheus (<c>/metrics</c>), through <see cref="System.Diagnostics.Metrics"/> as Orleans
/// does: meter <see cref="MeterName"/>, instruments created once. Labels are small closed sets (priority, metric,
/// channel, outcome, probe kind) and never a ticket or customer id, so a series count cannot grow with data. The
/// exception are the SLO series the generated burn-rate rules read (<c>GET /api/v1/slos/{id}/prometheus-rules</c>):
/// one pair per monitor or SLI, which grows only with what people configure.
/// </summary>
/// <remarks>
/// A static meter: grains are created by Orleans, and one meter per process is what a scrape wants. With several silos
/// in one process (tests) they share it, so a test reads differences, not absolute values.
/// </remarks>
public static class SlaMetrics
{
    /// <summary>The meter's name (exported by the server's <c>/metrics</c>).</summary>
    public const string MeterName = "SlaGrains.Grains";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Warnings = Meter.CreateCounter<long>(
        "slagrains_ticket_warnings", description: "Ticket clock warnings recorded (a threshold before the target), by priority and metric.");

    private static readonly Counter<long> Breaches = Meter.CreateCounter<long>(
        "slagrains_ticket_breaches", description: "Ticket clock breaches recorded (the target passed), by priority and metric.");

    private static readonly Histogram<double> BreachLateness = Meter.CreateHistogram(
        "slagrains_ticket_breach_lateness",
        unit: "s",
        description: "How long after a breach fell due it was recorded (recorded at minus due at), by priority and metric.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600] });

    private static readonly Counter<long> Escalations = Meter.CreateCounter<long>(
        "slagrains_escalations", description: "Escalations recorded (a warning or breach that matched escalation rules), by priority, metric and alert.");

    private static readonly Counter<long> Notifications = Meter.CreateCounter<long>(
        "slagrains_notifications", description: "Outbox delivery attempts by channel and outcome (delivered, retrying, deadLettered).");

    private static readonly Counter<long> ChecksIngested = Meter.CreateCounter<long>(
        "slagrains_checks_ingested", description: "Check results a monitor accepted, by source (push, probe) and outcome (up, down).");

    private static readonly Counter<long> ProbeResults = Meter.CreateCounter<long>(
        "slagrains_probe_results", description: "Probes run by this silo, by monitor kind and outcome (up, down, notRecorded).");

    private static readonly Counter<long> MonitorChecks = Meter.CreateCounter<long>(
        "slagrains_monitor_checks", description: "Check results each monitor accepted, by monitor and result (up, down): the availability SLO's events.");

    private static readonly Counter<long> MonitorLatencyChecks = Meter.CreateCounter<long>(
        "slagrains_monitor_latency_checks",
        description: "Checks each monitor with a latency SLO counted, by monitor and outcome (good: up within the threshold; bad: slow or failed).");

    private static readonly Counter<long> SliEvents = Meter.CreateCounter<long>(
        "slagrains_sli_events", description: "Events of each request SLI from posted counts, by SLI and outcome (good, bad).");

    private static readonly Histogram<double> ReadModelLag = Meter.CreateHistogram(
        "slagrains_read_model_lag",
        unit: "s",
        description: "From a grain's state write to its read-model rows being written (retries included), by model.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 120] });

    /// <summary>
    /// Adds zero to every counter series of the closed label sets, so each exists from the first scrape (a rate over a
    /// series that appears with its first event misses that event). Call once the metrics pipeline listens.
    /// </summary>
    public static void StartSeriesAtZero()
    {
        foreach (var priority in Enum.GetValues<TicketPriority>())
        {
            foreach (var metric in Enum.GetValues<SlaMetric>())
            {
                var tags = new TagList { { "priority", Label(priority) }, { "metric", Label(metric) } };
                Warnings.Add(0, tags);
                Breaches.Add(0, tags);
                Escalations.Add(0, new TagList { { "priority", Label(priority) }, { "metric", Label(metric) }, { "alert", "warning" } });
                Escalations.Add(0, new TagList { { "priority", Label(priority) }, { "metric", Label(metric) }, { "alert", "breach" } });
            }
        }

        foreach (var channel in Enum.GetValues<ChannelKind>())
        {
            foreach (var result in Enum.GetValues<OutboxState>())
            {
                Notification(channel, result, 0);
            }
        }

        ChecksIngested.Add(0, new TagList { { "source", "push" }, { "outcome", "up" } });
        ChecksIngested.Add(0, new TagList { { "source", "push" }, { "outcome", "down" } });
        ChecksIngested.Add(0, new TagList { { "source", "probe" }, { "outcome", "up" } });
        ChecksIngested.Add(0, new TagList { { "source", "probe" }, { "outcome", "down" } });
        foreach (var kind in new[] { "http", "tcp", "dns", "tls", "ping" })
        {
            foreach (var outcome in new[] { "up", "down", "notRecorded" })
            {
                ProbeResults.Add(0, new TagList { { "kind", kind }, { "outcome", outcome } });
            }
        }
    }

    /// <summary>A warning or breach the ticket committed (its alert is in the outbox).</summary>
    public static void ClockThreshold(SlaAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var tags = new TagList { { "priority", Label(alert.Priority) }, { "metric", Label(alert.Metric) } };
        if (!alert.IsBreach)
        {
            Warnings.Add(1, tags);
            return;
        }

        Breaches.Add(1, tags);
        BreachLateness.Record(Math.Max(0, (alert.RecordedAt - alert.DueAt).TotalSeconds), tags);
    }

    /// <summary>An escalation recorded for <paramref name="alert"/>.</summary>
    public static void Escalated(SlaAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        Escalations.Add(1, new TagList { { "priority", Label(alert.Priority) }, { "metric", Label(alert.Metric) }, { "alert", alert.IsBreach ? "breach" : "warning" } });
    }

    /// <summary>One outbox delivery attempt and the state it left the message in.</summary>
    public static void Notification(ChannelKind channel, OutboxState result) => Notification(channel, result, 1);

    private static void Notification(ChannelKind channel, OutboxState result, int count)
        => Notifications.Add(count, new TagList
        {
            { "channel", channel switch { ChannelKind.Email => "email", ChannelKind.Slack => "slack", ChannelKind.Teams => "teams", _ => "other" } },
            { "outcome", result switch { OutboxState.Delivered => "delivered", OutboxState.DeadLettered => "deadLettered", _ => "retrying" } },
        });

    /// <summary>
    /// Check results a monitor accepted: the ingestion counts by source, and the monitor's availability (and, with a
    /// latency SLO, latency) SLO events, counted in one pass.
    /// </summary>
    public static void ChecksAccepted(string source, string monitorId, IReadOnlyCollection<CheckResult> results, LatencySlo? latency)
    {
        ArgumentNullException.ThrowIfNull(results);
        var objective = latency?.Objective;
        int down = 0, latencyCounted = 0, latencyGood = 0;
        foreach (var result in results)
        {
            down += result.IsDown ? 1 : 0;
            if (objective is not null && LatencyObjective.Counts(result))
            {
                latencyCounted++;
                latencyGood += objective.IsGood(result) ? 1 : 0;
            }
        }

        Add(ChecksIngested, results.Count - down, "source", source, "outcome", "up");
        Add(ChecksIngested, down, "source", source, "outcome", "down");
        Add(MonitorChecks, results.Count - down, "monitor", monitorId, "result", "up");
        Add(MonitorChecks, down, "monitor", monitorId, "result", "down");
        if (objective is not null)
        {
            Add(MonitorLatencyChecks, latencyGood, "monitor", monitorId, "outcome", "good");
            Add(MonitorLatencyChecks, latencyCounted - latencyGood, "monitor", monitorId, "outcome", "bad");
        }
    }

    /// <summary>A request SLI's newly recorded counts.</summary>
    public static void SliCounts(string sliId, long good, long total)
    {
        Add(SliEvents, good, "sli", sliId, "outcome", "good");
        Add(SliEvents, total - good, "sli", sliId, "outcome", "bad");
    }

    private static void Add(Counter<long> counter, long count, string firstLabel, string first, string label, string value)
    {
        if (count > 0)
        {
            counter.Add(count, new TagList { { firstLabel, first }, { label, value } });
        }
    }

    /// <summary>One probe's result; <paramref name="recorded"/> false when the monitor did not take it.</summary>
    public static void Probe(string kind, bool up, bool recorded)
        => ProbeResults.Add(1, new TagList { { "kind", Kind(kind) }, { "outcome", !recorded ? "notRecorded" : up ? "up" : "down" } });

    /// <summary>A grain's rows reached the read model <paramref name="elapsed"/> after its state write.</summary>
    public static void RowsWritten(string model, TimeSpan elapsed) => ReadModelLag.Record(elapsed.TotalSeconds, new TagList { { "model", model } });

    /// <summary>The label of a priority (as the API writes it).</summary>
    public static string Label(TicketPriority priority) => priority switch
    {
        TicketPriority.P1 => "p1",
        TicketPriority.P2 => "p2",
        TicketPriority.P3 => "p3",
        TicketPriority.P4 => "p4",
        _ => "other",
    };

    /// <summary>The label of an SLA metric (as the API writes it).</summary>
    public static string Label(SlaMetric metric) => metric switch
    {
        SlaMetric.FirstResponse => "firstResponse",
        SlaMetric.Resolution => "resolution",
        SlaMetric.NextReply => "nextReply",
        _ => "other",
    };

    /// <summary>A probing kind from the closed set; anything else is "other" (a label never carries free text).</summary>
    private static string Kind(string kind) => kind switch
    {
        "http" => "http",
        "tcp" => "tcp",
        "dns" => "dns",
        "tls" => "tls",
        "ping" => "ping",
        _ => "other",
    };
}
