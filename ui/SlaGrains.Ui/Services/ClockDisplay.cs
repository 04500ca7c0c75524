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

    /// <summary>on track (&lt; 75 %), at risk (75–100 %), breached (≥ 100 %), met, or paused.</summary>
    public static string Label(ClockView clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return clock.State switch
        {
            ClockState.Met => "met",
            var s when ClockCompliance.IsBreached(s) => "breached",
            ClockState.Paused => "paused",
            _ when Percent(clock) >= 100 => "breached",
            _ when Percent(clock) >= 75 => "at risk",
            _ => "on track",
        };
    }

    /// <summary>The CSS class of the label's colour.</summary>
    public static string CssClass(ClockView clock) => Label(clock) switch
    {
        "breached" => "sla-breached",
        "at risk" => "sla-at-risk",
        _ => "sla-on-track",
    };

    /// <summary>The deadline a running clock counts down to (null when it is not counting).</summary>
    public static Instant? Deadline(ClockView clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return clock.State is ClockState.Running or ClockState.BreachedRunning ? clock.BreachAt : null;
    }

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
