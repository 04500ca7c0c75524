using MudBlazor;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Ui.Services;

/// <summary>
/// How tickets and clocks are shown, from one place: statuses in people's words, durations in days, hours and minutes,
/// the standing as an icon, a word and a colour (never colour alone).
/// </summary>
public static class ClockDisplay
{
    /// <summary>Share of the target used at the view's instant, in percent (may exceed 100).</summary>
    public static double Percent(ClockView clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return clock.Target <= Duration.Zero ? 100 : 100.0 * clock.Elapsed.TotalSeconds / clock.Target.TotalSeconds;
    }

    /// <summary>The standing in words at <paramref name="now"/> — on track, at risk (past the policy's first warning threshold), breached, paused, met — by the domain's rule.</summary>
    public static string Label(ClockView clock, Instant now)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return ClockStandings.Words(clock.StandingAt(now));
    }

    /// <summary>A ticket's status as people say it ("In progress", "Waiting on customer"), never the enum's name.</summary>
    public static string StatusWords(TicketStatus status) => status switch
    {
        TicketStatus.New => "New",
        TicketStatus.Open => "Open",
        TicketStatus.InProgress => "In progress",
        TicketStatus.WaitingOnCustomer => "Waiting on customer",
        TicketStatus.OnHold => "On hold",
        TicketStatus.Resolved => "Resolved",
        TicketStatus.Closed => "Closed",
        _ => status.ToString(),
    };

    /// <summary>A priority as people write it: "P1" (most urgent) to "P4".</summary>
    public static string PriorityWords(TicketPriority priority) => priority.ToString().ToUpperInvariant();

    /// <summary>A metric as people say it: "First response", "Resolution", "Next reply".</summary>
    public static string MetricWords(SlaMetric metric) => metric switch
    {
        SlaMetric.FirstResponse => "First response",
        SlaMetric.Resolution => "Resolution",
        SlaMetric.NextReply => "Next reply",
        _ => metric.ToString(),
    };

    /// <summary>The CSS class of a standing's colour (each readable on the light and the dark surface, see sla.css).</summary>
    public static string CssClass(ClockStanding standing) => standing switch
    {
        ClockStanding.Breached => "sla-breached",
        ClockStanding.AtRisk => "sla-at-risk",
        ClockStanding.Paused => "sla-paused",
        _ => "sla-on-track",
    };

    /// <summary>The icon that goes with a standing's word: warning (at risk), error (breached), pause (paused), none otherwise.</summary>
    public static string? Icon(ClockStanding standing) => standing switch
    {
        ClockStanding.AtRisk => Icons.Material.Filled.Warning,
        ClockStanding.Breached => Icons.Material.Filled.Error,
        ClockStanding.Paused => Icons.Material.Filled.PauseCircle,
        _ => null,
    };

    /// <summary>
    /// A duration as people read it: "4 d 20 h 44 m" (no seconds from an hour up), "44 m 27 s" under an hour; a negative
    /// one as "overdue 2 h 5 m". The browser's countdown (wwwroot/countdown.js) writes the same format.
    /// </summary>
    public static string Format(Duration d)
    {
        var negative = d < Duration.Zero;
        var total = (long)Math.Abs(Math.Floor(d.TotalSeconds));
        if (negative)
        {
            total = (long)Math.Ceiling(-d.TotalSeconds);
        }

        var (days, hours, minutes, seconds) = (total / 86_400, total % 86_400 / 3600, total % 3600 / 60, total % 60);
        var text = days > 0 ? $"{days} d {hours} h {minutes} m"
            : hours > 0 ? $"{hours} h {minutes} m"
            : $"{minutes} m {seconds} s";
        return negative ? $"overdue {text}" : text;
    }

    /// <summary>
    /// The instant each met clock of a ticket was met, from its audit trail (the last <c>ClockStopped</c> entry of the
    /// metric); the board's rows carry no audit, so they say how much time was left instead.
    /// </summary>
    public static Instant? MetAt(TicketView ticket, SlaMetric metric)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return ticket.Audit.LastOrDefault(e => e.Metric == metric && e.Kind == "ClockStopped")?.At;
    }
}
