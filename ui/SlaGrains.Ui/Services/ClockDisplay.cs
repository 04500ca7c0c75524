using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Ui.Services;

/// <summary>How a clock is shown: share of the target used, the state as words and as a colour (never colour alone).</summary>
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

    /// <summary>The CSS class of a standing's colour.</summary>
    public static string CssClass(ClockStanding standing) => standing switch
    {
        ClockStanding.Breached => "sla-breached",
        ClockStanding.AtRisk => "sla-at-risk",
        _ => "sla-on-track",
    };

    /// <summary>A duration as "1h 02m 03s".</summary>
    public static string Format(Duration d)
    {
        var negative = d < Duration.Zero;
        var total = (long)Math.Abs(d.TotalSeconds);
        var text = $"{(total >= 3600 ? $"{total / 3600}h " : string.Empty)}{total % 3600 / 60:00}m {total % 60:00}s";
        return negative ? $"overdue {text}" : text;
    }

    /// <summary>An instant as ISO 8601 UTC for the browser's countdown.</summary>
    public static string Iso(Instant instant) => NodaTime.Text.InstantPattern.ExtendedIso.Format(instant);
}
