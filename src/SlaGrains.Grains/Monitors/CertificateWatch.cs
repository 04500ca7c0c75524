using SlaGrains.Contracts.Monitors;

namespace SlaGrains.Grains.Monitors;

/// <summary>
/// What a tls monitor remembers of the certificates its probes saw: the expiry shown on the monitor, the latest
/// certificate (by expiry) it warned about, and that warning while it stands.
/// </summary>
/// <param name="ExpiresAt">The newest probe's certificate expiry; null before any.</param>
/// <param name="WarnedFor">The expiry of the latest certificate warned about; null when none was.</param>
/// <param name="Warning">The warning as its inbox row says, until a renewed certificate stops it; null when none stands.</param>
[GenerateSerializer]
[Alias("slagrains.certificate-watch")]
[Immutable]
public sealed record CertificateWatch([property: Id(0)] Instant? ExpiresAt, [property: Id(1)] Instant? WarnedFor, [property: Id(2)] BudgetAlertView? Warning)
{
    /// <summary>
    /// The watch after <paramref name="report"/> (pure): the expiry is noted from every probe that saw a certificate
    /// (down for expiry too); an up probe whose certificate expires within <paramref name="warnWithin"/> starts a
    /// warning unless one was given for that certificate or a later one — so each certificate is announced once, and
    /// an old certificate still served by one region after a renewal announces nothing again; a certificate expiring
    /// after the one warned about (renewed) stops the standing warning, which re-arms the next.
    /// </summary>
    /// <returns>The new watch, the warning started (null: none), the warning stopped (null: none).</returns>
    public (CertificateWatch Watch, BudgetAlertView? Started, BudgetAlertView? Stopped) Observe(
        ProbeReport report, Duration warnWithin, string monitorId, MonitorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(settings);
        if (report.CertificateExpiresAt is not { } expires)
        {
            return (this, null, null);
        }

        var watch = this with { ExpiresAt = expires };
        BudgetAlertView? stopped = null;
        if (Warning is { StoppedAt: null } standing && WarnedFor is { } warned && expires > warned)
        {
            stopped = standing with { StoppedAt = report.At };
            watch = watch with { Warning = null };
        }

        if (!report.Up || expires - report.At > warnWithin || (WarnedFor is { } seen && expires <= seen))
        {
            return (watch, null, stopped);
        }

        var started = new BudgetAlertView(
            BudgetAlertView.IdOf(monitorId, BudgetAlertView.CertificateExpiring, report.At), monitorId, settings.CustomerId, settings.ComponentName,
            BudgetAlertView.CertificateExpiring, Domain.Availability.AlertSeverity.Ticket, 0m, expires - report.At, Duration.Zero, 0m, 0m, report.At, null);
        return (watch with { WarnedFor = expires, Warning = started }, started, stopped);
    }
}
