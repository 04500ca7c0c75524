using NodaTime;

namespace SlaGrains.Domain.Availability;

/// <summary>How urgently a burn-rate alert needs a person.</summary>
public enum AlertSeverity
{
    /// <summary>Wake someone now.</summary>
    Page,

    /// <summary>Open a ticket to handle in working hours.</summary>
    Ticket,
}

/// <summary>
/// A multi-window burn-rate alert (Google SRE workbook, "Alerting on SLOs"): it fires when the burn rate over the
/// long window <b>and</b> over the short window are both at least <see cref="Factor"/> (≥). The short window makes the
/// alert reset soon after the burning stops.
/// </summary>
public sealed record BurnRateAlert
{
    /// <summary>Creates an alert rule.</summary>
    /// <param name="name">A stable name (for example <c>page-fast</c>).</param>
    /// <param name="severity">Page or ticket.</param>
    /// <param name="factor">The burn rate (multiple of the sustainable rate) at or above which the alert fires; positive.</param>
    /// <param name="longWindow">The long window, ending at the evaluation instant; positive.</param>
    /// <param name="shortWindow">The short window, ending at the evaluation instant; positive.</param>
    /// <exception cref="ArgumentException">A name is empty, the factor or a window is not positive.</exception>
    public BurnRateAlert(string name, AlertSeverity severity, decimal factor, Duration longWindow, Duration shortWindow)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"{nameof(name)} must not be empty.", nameof(name));
        }

        if (factor <= 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"{nameof(factor)} must be greater than zero; got {factor}.");
        }

        Name = name;
        Severity = severity;
        Factor = factor;
        LongWindow = Guard.Positive(longWindow, nameof(longWindow));
        ShortWindow = Guard.Positive(shortWindow, nameof(shortWindow));
    }

    /// <summary>Page, fast burn: 14.4× over 1 hour and 5 minutes (2 % of a 30-day budget in an hour).</summary>
    public static BurnRateAlert PageFast { get; } = new("page-fast", AlertSeverity.Page, 14.4m, Duration.FromHours(1), Duration.FromMinutes(5));

    /// <summary>Page, slow burn: 6× over 6 hours and 30 minutes (5 % of a 30-day budget in 6 hours).</summary>
    public static BurnRateAlert PageSlow { get; } = new("page-slow", AlertSeverity.Page, 6m, Duration.FromHours(6), Duration.FromMinutes(30));

    /// <summary>Ticket: 1× over 3 days and 6 hours (10 % of a 30-day budget in 3 days).</summary>
    public static BurnRateAlert Ticket { get; } = new("ticket", AlertSeverity.Ticket, 1m, Duration.FromDays(3), Duration.FromHours(6));

    /// <summary>The SRE workbook's three alerts: <see cref="PageFast"/>, <see cref="PageSlow"/>, <see cref="Ticket"/>.</summary>
    public static IReadOnlyList<BurnRateAlert> SreWorkbook { get; } = [PageFast, PageSlow, Ticket];

    /// <summary>A stable name.</summary>
    public string Name { get; }

    /// <summary>Page or ticket.</summary>
    public AlertSeverity Severity { get; }

    /// <summary>The burn rate at or above which both windows must be for the alert to fire.</summary>
    public decimal Factor { get; }

    /// <summary>The long window, <c>[now − LongWindow, now)</c>.</summary>
    public Duration LongWindow { get; }

    /// <summary>The short window, <c>[now − ShortWindow, now)</c>.</summary>
    public Duration ShortWindow { get; }
}

/// <summary>An evaluated burn-rate alert: the measured burn rates of both windows and whether it fires.</summary>
/// <param name="Alert">The alert rule.</param>
/// <param name="LongWindowBurnRate">The burn rate over the long window, rounded toward zero to 4 decimals (display only).</param>
/// <param name="ShortWindowBurnRate">The burn rate over the short window, rounded toward zero to 4 decimals (display only).</param>
/// <param name="IsFiring">Whether both windows' exact burn rates are ≥ the alert's factor.</param>
public sealed record BurnRateAlertStatus(BurnRateAlert Alert, decimal LongWindowBurnRate, decimal ShortWindowBurnRate, bool IsFiring);

/// <summary>
/// Burn rates: how fast downtime spends the error budget.
/// <c>burn rate = (downtime in window / (window − excluded)) ÷ (1 − slo / 100)</c>; 1 spends the budget exactly over
/// the budget's period, 14.4 spends a 30-day budget in a little over two days.
/// </summary>
/// <remarks>
/// Windows are half-open <c>[now − window, now)</c>, ending at <c>now</c>. Downtime is clipped and merged exactly as in
/// <see cref="AvailabilityReport.Compute"/>: an ongoing outage counts up to <c>now</c>, and announced maintenance
/// (when given) is excluded from both the downtime and the window. A window entirely excluded has burn rate 0.
/// The SLO must be below 100 %: a 100 % objective has no budget to burn.
/// </remarks>
public static class BurnRate
{
    /// <summary>The burn rate over <c>[now − window, now)</c>, rounded toward zero to 4 decimals.</summary>
    /// <param name="downtime">Downtime intervals in any order; an interval without an end is ongoing.</param>
    /// <param name="sloPercent">The internal SLO in percent, in (0, 100).</param>
    /// <param name="now">The end of the window (exclusive).</param>
    /// <param name="window">The window length; positive.</param>
    /// <param name="maintenance">Maintenance windows; <c>null</c> means none.</param>
    /// <param name="maintenanceNotice">Required notice; <c>null</c> means 48 hours.</param>
    public static decimal Over(
        IEnumerable<Interval> downtime,
        decimal sloPercent,
        Instant now,
        Duration window,
        IEnumerable<MaintenanceWindow>? maintenance = null,
        Duration? maintenanceNotice = null)
    {
        Guard.NotNull(downtime, nameof(downtime));
        CheckSlo(sloPercent);
        var report = Window(downtime.ToList(), now, Guard.Positive(window, nameof(window)), maintenance?.ToList(), maintenanceNotice);
        return Rounded(report, sloPercent);
    }

    /// <summary>
    /// Evaluates each alert (by default <see cref="BurnRateAlert.SreWorkbook"/>) at <paramref name="now"/>: its two
    /// measured burn rates and whether it fires (both ≥ its factor). Returned in the order of the alerts.
    /// </summary>
    /// <param name="downtime">Downtime intervals in any order; an interval without an end is ongoing.</param>
    /// <param name="sloPercent">The internal SLO in percent, in (0, 100).</param>
    /// <param name="now">The instant of evaluation; every window ends here (exclusive).</param>
    /// <param name="maintenance">Maintenance windows; <c>null</c> means none.</param>
    /// <param name="maintenanceNotice">Required notice; <c>null</c> means 48 hours.</param>
    /// <param name="alerts">The alert rules; <c>null</c> means <see cref="BurnRateAlert.SreWorkbook"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sloPercent"/> is outside (0, 100).</exception>
    public static IReadOnlyList<BurnRateAlertStatus> Evaluate(
        IEnumerable<Interval> downtime,
        decimal sloPercent,
        Instant now,
        IEnumerable<MaintenanceWindow>? maintenance = null,
        Duration? maintenanceNotice = null,
        IEnumerable<BurnRateAlert>? alerts = null)
    {
        Guard.NotNull(downtime, nameof(downtime));
        CheckSlo(sloPercent);
        var intervals = downtime.ToList();
        var windows = maintenance?.ToList();
        var statuses = new List<BurnRateAlertStatus>();
        foreach (var alert in alerts ?? BurnRateAlert.SreWorkbook)
        {
            var longWindow = Window(intervals, now, alert.LongWindow, windows, maintenanceNotice);
            var shortWindow = Window(intervals, now, alert.ShortWindow, windows, maintenanceNotice);
            var firing = AtLeast(longWindow, sloPercent, alert.Factor) && AtLeast(shortWindow, sloPercent, alert.Factor);
            statuses.Add(new BurnRateAlertStatus(alert, Rounded(longWindow, sloPercent), Rounded(shortWindow, sloPercent), firing));
        }

        return statuses;
    }

    /// <summary>The alerts of <see cref="Evaluate"/> that fire.</summary>
    public static IReadOnlyList<BurnRateAlertStatus> Firing(
        IEnumerable<Interval> downtime,
        decimal sloPercent,
        Instant now,
        IEnumerable<MaintenanceWindow>? maintenance = null,
        Duration? maintenanceNotice = null,
        IEnumerable<BurnRateAlert>? alerts = null)
        => [.. Evaluate(downtime, sloPercent, now, maintenance, maintenanceNotice, alerts).Where(s => s.IsFiring)];

    private static AvailabilityReport Window(
        IReadOnlyList<Interval> downtime, Instant now, Duration window, IReadOnlyList<MaintenanceWindow>? maintenance, Duration? notice)
        => AvailabilityReport.Compute(new Interval(now - window, now), downtime, maintenance, notice);

    private static bool AtLeast(AvailabilityReport window, decimal sloPercent, decimal factor)
        => window.Measured > Duration.Zero
            && ExactArithmetic.CompareFractionWithAllowance(window.Downtime, window.Measured, sloPercent, factor) >= 0;

    private static decimal Rounded(AvailabilityReport window, decimal sloPercent)
    {
        if (window.Measured == Duration.Zero)
        {
            return 0m;
        }

        // (down / measured) / ((100·den − num) / (100·den)) = down · 100·den / (measured · (100·den − num)).
        var (num, den) = ExactArithmetic.Fraction(sloPercent);
        return ExactArithmetic.TruncatedQuotient(
            ExactArithmetic.Nanoseconds(window.Downtime) * 100 * den,
            ExactArithmetic.Nanoseconds(window.Measured) * ((100 * den) - num),
            4);
    }

    private static void CheckSlo(decimal sloPercent)
    {
        if (sloPercent <= 0m || sloPercent >= 100m)
        {
            throw new ArgumentOutOfRangeException(
                nameof(sloPercent), sloPercent, $"{nameof(sloPercent)} must be a percentage in (0, 100) for burn rates; got {sloPercent}.");
        }
    }
}
