using Microsoft.AspNetCore.Http.HttpResults;
using SlaGrains.Application.Customers;
using SlaGrains.Domain.Calendars;
using SlaGrains.Server.Api.Json;

namespace SlaGrains.Server.Api.Tools;

/// <summary>An interval during which the SLA clock is stopped (as while a ticket waits on the customer): <c>[start, end)</c>.</summary>
/// <param name="Start">When the clock stops.</param>
/// <param name="End">When it runs again; not before <paramref name="Start"/>.</param>
public sealed record PauseInput(Instant? Start, Instant? End);

/// <summary>
/// A business-time question: under <paramref name="Calendar"/>, counting from <paramref name="Start"/>, when is
/// <paramref name="Add"/> of business time used up, and how much business time lies before <paramref name="Until"/>?
/// </summary>
/// <param name="Calendar">The business calendar (<c>timeZone</c> required; an omitted <c>weeklyHours</c> means 24×7).</param>
/// <param name="Start">The instant counted from, ISO 8601 with <c>Z</c> or an offset.</param>
/// <param name="Add">Optional business time to add, an ISO 8601 duration (<c>PT4H</c>, <c>PT90S</c>, <c>PT1.5S</c>); not negative.</param>
/// <param name="Until">Optional instant to measure business time up to; not before <paramref name="Start"/>.</param>
/// <param name="Pauses">Optional intervals during which the clock is stopped; they apply to both <paramref name="Add"/> and <paramref name="Until"/>.</param>
public sealed record BusinessTimeRequest(CalendarInput? Calendar, Instant? Start, Duration? Add, Instant? Until, List<PauseInput>? Pauses);

/// <summary>The answer to a <see cref="BusinessTimeRequest"/>; instants in UTC with <c>Z</c>.</summary>
/// <param name="Due">When <c>add</c> of business time is used up (at a closing time when it is used up exactly then);
/// null when <c>add</c> was not given or the calendar never accumulates that much business time again.</param>
/// <param name="BusinessSeconds">Business time in <c>[start, until)</c> minus the business time inside the pauses, in
/// seconds; null when <c>until</c> was not given.</param>
/// <param name="IsOpenAtStart">Whether the calendar is open at <c>start</c> (the calendar alone; pauses do not close it).</param>
/// <param name="NextOpen">The earliest instant ≥ <c>start</c> at which the calendar is open (<c>start</c> itself when
/// open); null when it never opens again.</param>
/// <param name="NextClose">The earliest instant ≥ <c>start</c> at which the calendar is closed (<c>start</c> itself when
/// closed); null when it never closes (24×7).</param>
public sealed record BusinessTimeResponse(Instant? Due, decimal? BusinessSeconds, bool IsOpenAtStart, Instant? NextOpen, Instant? NextClose);

/// <summary>
/// <c>POST /api/v1/tools/business-time</c>: the calendar's <see cref="BusinessCalendar.TryAddUpTo(Instant, Duration, IEnumerable{Interval}, Instant, out Instant, CancellationToken)"/>,
/// <see cref="BusinessCalendar.Between(Instant, Instant, IEnumerable{Interval}, CancellationToken)"/>, <c>IsOpen</c>, <c>NextOpen</c> and
/// <c>NextClose</c> on the request's own data, within <see cref="ToolLimits"/> and the request's <see cref="ToolBudget"/>.
/// </summary>
internal static class BusinessTimeTool
{
    /// <summary>
    /// The calendar's arithmetic is exact within about ±292 years of 1970; the tool accepts instants and dates in
    /// 1900–2199 and answers due times up to 2200-01-01T00:00Z.
    /// </summary>
    private static readonly Instant Earliest = Instant.FromUtc(1900, 1, 1, 0, 0);

    private static readonly Instant Horizon = Instant.FromUtc(2200, 1, 1, 0, 0);

    public static Results<Ok<BusinessTimeResponse>, ValidationProblem> Compute(BusinessTimeRequest request, HttpContext http)
    {
        var budget = ToolBudget.Of(http);
        var errors = new InputErrors();

        // First: the calendar reports its own errors only while no other error has been recorded.
        BusinessCalendar? calendar = null;
        if (request.Calendar is null)
        {
            errors.Add("$.calendar", "calendar is required, e.g. {\"timeZone\": \"America/New_York\", \"weeklyHours\": {\"monday\": [{\"start\": \"09:00\", \"end\": \"17:00\"}]}}.");
        }
        else
        {
            ToolLimits.CheckCalendar(errors, "$.calendar", request.Calendar);
        }

        if (request.Calendar is not null && !errors.Any && request.Calendar.ToCalendar(errors, "$.calendar") is { } built)
        {
            calendar = built;
            CheckDates(built, errors);
        }

        var start = ToolsApi.Required(errors, "$.start", request.Start, "2026-11-20T15:30:00Z");
        CheckInstant(errors, "$.start", start);
        if (request.Add is { } add && add < Duration.Zero)
        {
            errors.Add("$.add", $"add must not be negative; got {NodaTimeJson.FormatDuration(add)}.");
        }
        else if (request.Add > ToolLimits.MaxSpan)
        {
            errors.Add("$.add", $"add may be at most 10 years ({NodaTimeJson.FormatDuration(ToolLimits.MaxSpan)}); got {NodaTimeJson.FormatDuration(request.Add.Value)}.");
        }

        CheckInstant(errors, "$.until", request.Until);
        if (request.Until is { } until && start is { } from && until < from)
        {
            errors.Add("$.until", $"until {NodaTimeJson.FormatInstant(until)} is before start {NodaTimeJson.FormatInstant(from)}.");
        }

        ToolLimits.CheckSpan(errors, "$.until", start, request.Until, "start to until");

        var pauses = Pauses(request.Pauses, errors);
        if (errors.Any || calendar is null || start is null)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        Instant? due = null;
        if (request.Add is { } duration)
        {
            // Never search past the horizon: due before it, or never (the calendar closes for good), or too far to answer.
            if (calendar.TryAddUpTo(start.Value, duration, pauses, Horizon, out var at, budget))
            {
                due = at;
            }
            else if (calendar.NextOpen(Horizon) is not null)
            {
                return Problems.Invalid("$.add", $"add {NodaTimeJson.FormatDuration(duration)} of business time is not used up before {NodaTimeJson.FormatInstant(Horizon)}, the latest due time this tool answers.");
            }
        }

        decimal? businessSeconds = request.Until is { } end ? ToolsApi.Seconds(calendar.Between(start.Value, end, pauses, budget)) : null;
        budget.ThrowIfCancellationRequested();
        return TypedResults.Ok(new BusinessTimeResponse(
            due,
            businessSeconds,
            calendar.IsOpen(start.Value),
            calendar.NextOpen(start.Value),
            calendar.NextClose(start.Value)));
    }

    private static List<Interval> Pauses(List<PauseInput>? input, InputErrors errors)
    {
        var pauses = new List<Interval>();
        if (ToolLimits.TooMany(errors, "$.pauses", input, ToolLimits.MaxPauses, "pauses"))
        {
            return pauses;
        }

        for (var i = 0; i < (input?.Count ?? 0); i++)
        {
            var path = $"$.pauses[{i}]";
            if (input![i] is not { } pause)
            {
                errors.Add(path, "A pause is {\"start\": \"…Z\", \"end\": \"…Z\"}.");
                continue;
            }

            var start = ToolsApi.Required(errors, $"{path}.start", pause.Start, "2026-11-20T17:00:00Z");
            var end = ToolsApi.Required(errors, $"{path}.end", pause.End, "2026-11-20T19:00:00Z");
            CheckInstant(errors, $"{path}.start", start);
            CheckInstant(errors, $"{path}.end", end);
            if (start is not { } from || end is not { } to)
            {
                continue;
            }

            if (to < from)
            {
                errors.Add($"{path}.end", $"The pause ends ({NodaTimeJson.FormatInstant(to)}) before it starts ({NodaTimeJson.FormatInstant(from)}).");
                continue;
            }

            pauses.Add(new Interval(from, to));
        }

        return pauses;
    }

    private static void CheckInstant(InputErrors errors, string field, Instant? instant)
    {
        if (instant is { } value && (value < Earliest || value > Horizon))
        {
            errors.Add(field, $"{NodaTimeJson.FormatInstant(value)} is outside the range this tool answers: {NodaTimeJson.FormatInstant(Earliest)} to {NodaTimeJson.FormatInstant(Horizon)}.");
        }
    }

    private static void CheckDates(BusinessCalendar calendar, InputErrors errors)
    {
        var earliest = Earliest.InUtc().Date;
        var latest = Horizon.InUtc().Date.PlusDays(-1);
        if (calendar.Holidays.Any(d => d < earliest || d > latest))
        {
            errors.Add("$.calendar.holidays", $"Holidays must lie between {earliest:uuuu-MM-dd} and {latest:uuuu-MM-dd}.");
        }

        if (calendar.SpecialHours.Any(s => s.Date < earliest || s.Date > latest))
        {
            errors.Add("$.calendar.specialHours", $"Special-hours dates must lie between {earliest:uuuu-MM-dd} and {latest:uuuu-MM-dd}.");
        }
    }
}
