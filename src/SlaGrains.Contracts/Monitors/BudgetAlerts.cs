using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Domain;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Contracts.Monitors;

/// <summary>
/// One firing of a burn-rate (error-budget) alert on a monitor: from when it started until it stopped. Delivered once
/// when it starts and once when it stops (inbox, live feed, <c>budget.burn</c> webhook), identified by
/// <see cref="AlertId"/> = (monitor, alert name, started at).
/// </summary>
/// <param name="AlertId">Stable id: <c>{monitor}.{name}.{started at, Unix ticks}</c>.</param>
/// <param name="MonitorId">The monitor.</param>
/// <param name="CustomerId">Its customer.</param>
/// <param name="ComponentName">The component it watches.</param>
/// <param name="Name">The alert rule's name, e.g. <c>page-fast</c>.</param>
/// <param name="Severity">Page or ticket.</param>
/// <param name="Factor">The burn rate both windows must reach.</param>
/// <param name="LongWindow">The long window.</param>
/// <param name="ShortWindow">The short window.</param>
/// <param name="LongWindowBurnRate">The long window's burn rate at the latest change (start or stop), 4 decimals.</param>
/// <param name="ShortWindowBurnRate">The short window's burn rate at the latest change, 4 decimals.</param>
/// <param name="StartedAt">When it started firing.</param>
/// <param name="StoppedAt">When it stopped; null while firing.</param>
/// <param name="AcknowledgedAt">When someone of the staff acknowledged it; null while nobody has (and in rows and
/// state written before acknowledgements existed).</param>
/// <param name="AcknowledgedBy">Who acknowledged it (a user name); null while nobody has.</param>
[GenerateSerializer]
[Alias("slagrains.budget-alert-view")]
[Immutable]
public sealed record BudgetAlertView(
    [property: Id(0)] string AlertId,
    [property: Id(1)] string MonitorId,
    [property: Id(2)] string CustomerId,
    [property: Id(3)] string ComponentName,
    [property: Id(4)] string Name,
    [property: Id(5)] AlertSeverity Severity,
    [property: Id(6)] decimal Factor,
    [property: Id(7)] Duration LongWindow,
    [property: Id(8)] Duration ShortWindow,
    [property: Id(9)] decimal LongWindowBurnRate,
    [property: Id(10)] decimal ShortWindowBurnRate,
    [property: Id(11)] Instant StartedAt,
    [property: Id(12)] Instant? StoppedAt,
    [property: Id(13)] Instant? AcknowledgedAt = null,
    [property: Id(14)] string? AcknowledgedBy = null)
{
    /// <summary>
    /// The <see cref="Name"/> of a tls monitor's certificate warning, which rides on this row kind (inbox, live feed,
    /// acknowledgement) instead of a table of its own: it fires once per certificate that expires within the monitor's
    /// warning days and stops when a renewed certificate (a later expiry) is seen. For it <see cref="LongWindow"/> is
    /// the time from <see cref="StartedAt"/> to the expiry (see <see cref="CertificateExpiresAt"/>); the factor, short
    /// window and burn rates are 0.
    /// </summary>
    public const string CertificateExpiring = "certificate-expiring";

    /// <summary>Whether this is a certificate warning rather than a burn-rate alert.</summary>
    public bool IsCertificateWarning => Name == CertificateExpiring;

    /// <summary>For a certificate warning, when the certificate expires; else null.</summary>
    public Instant? CertificateExpiresAt => IsCertificateWarning ? StartedAt + LongWindow : null;

    /// <summary>True once someone acknowledged it.</summary>
    public bool IsAcknowledged => AcknowledgedAt is not null;

    /// <summary>
    /// The SLI it is about: <c>latency</c> for a latency alert (its name starts with <c>latency-</c>), else
    /// <c>availability</c> — read from the name, so alerts stored before latency SLOs existed read as availability.
    /// </summary>
    public string Sli => LatencyBurnRate.IsLatency(Name) ? "latency" : "availability";

    /// <summary>True while the alert fires.</summary>
    public bool IsFiring => StoppedAt is null;

    /// <summary><c>started</c> while firing, else <c>stopped</c>.</summary>
    public string State => IsFiring ? "started" : "stopped";

    /// <summary>The instant of the latest change: the stop, or the start.</summary>
    public Instant ChangedAt => StoppedAt ?? StartedAt;

    /// <summary>The id of an alert of <paramref name="monitorId"/> named <paramref name="name"/> that started at <paramref name="startedAt"/>.</summary>
    public static string IdOf(string monitorId, string name, Instant startedAt) => $"{monitorId}.{name}.{startedAt.ToUnixTimeTicks()}";

    /// <summary>
    /// Reads an id made by <see cref="IdOf"/> back into its monitor, alert name and start: the start is after the last
    /// dot, the name (which has no dot) before it, the monitor (which may have dots) the rest. False when it is not
    /// such an id (the parts may still name nothing).
    /// </summary>
    public static bool TryParseId(string? alertId, [NotNullWhen(true)] out string? monitorId, [NotNullWhen(true)] out string? name, out Instant startedAt)
    {
        (monitorId, name, startedAt) = (null, null, default);
        var last = alertId?.LastIndexOf('.') ?? -1;
        var middle = last > 0 ? alertId!.LastIndexOf('.', last - 1) : -1;
        if (middle <= 0 || middle + 1 == last
            || !long.TryParse(alertId.AsSpan(last + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ticks)
            || ticks < Instant.MinValue.ToUnixTimeTicks() || ticks > Instant.MaxValue.ToUnixTimeTicks())
        {
            return false;
        }

        (monitorId, name, startedAt) = (alertId![..middle], alertId[(middle + 1)..last], Instant.FromUnixTimeTicks(ticks));
        return true;
    }
}

/// <summary>The answer to acknowledging a budget alert: the alert as it is now, or why not.</summary>
[GenerateSerializer]
[Alias("slagrains.budget-alert-result")]
[Immutable]
public sealed record BudgetAlertResult([property: Id(0)] BudgetAlertView? Alert, [property: Id(1)] Rejection? Rejection)
{
    /// <summary>True when the command was accepted (and is durable).</summary>
    public bool Accepted => Rejection is null;
}

/// <summary>A burn-rate alert started, stopped or was acknowledged (already written into the monitor).</summary>
[GenerateSerializer]
[Alias("slagrains.notification.budget-alert-changed")]
[Immutable]
public sealed record BudgetAlertChanged(Instant At, [property: Id(0)] BudgetAlertView Alert) : SlaNotification(At);
