namespace SlaGrains.Bench.Domain;

/// <summary>The domain's performance goals, keyed by the benchmark category they apply to.</summary>
internal static class DomainGoals
{
    /// <summary>Category of the business-calendar benchmarks over a one-year span.</summary>
    public const string CalendarYear = "calendar-year";

    /// <summary>Category of the ticket SLA clock benchmarks (one decision, folded).</summary>
    public const string ClockEvent = "clock-event";

    /// <summary>Category of the monthly availability benchmark (no goal set).</summary>
    public const string Availability = "availability";

    /// <summary>The goals to print after the table; a mean at or under the limit meets the goal.</summary>
    public static IReadOnlyList<Goal> All { get; } =
    [
        new(CalendarYear, "Calendar ops (Add, Between) over a one-year span", 10_000),
        new(ClockEvent, "Clock event (Decide + Apply of one command)", 1_000),
    ];
}

/// <summary>A goal: benchmarks of <paramref name="Category"/> should average at most <paramref name="LimitNanoseconds"/>.</summary>
/// <param name="Category">The benchmark category the goal applies to.</param>
/// <param name="Text">What is measured, for the reader.</param>
/// <param name="LimitNanoseconds">The largest acceptable mean time per operation, in nanoseconds.</param>
internal sealed record Goal(string Category, string Text, double LimitNanoseconds);
