using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Credits;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Server.Api.Json;

/// <summary>Opening hours of one day: <c>start</c> and <c>end</c> as <c>HH:mm</c>; <c>end</c> may be <c>24:00</c>.</summary>
public sealed record HoursInput(string? Start, string? End);

/// <summary>Hours that replace a date's weekly hours (an empty list closes the date).</summary>
public sealed record SpecialHoursInput(LocalDate Date, List<HoursInput>? Hours);

/// <summary>
/// A business calendar: an IANA <c>timeZone</c>, <c>weeklyHours</c> keyed by lower-case English day name (an
/// omitted day is closed; an omitted <c>weeklyHours</c> means 24×7), closed <c>holidays</c>, and <c>specialHours</c>.
/// </summary>
public sealed record CalendarInput(string? TimeZone, Dictionary<string, List<HoursInput>>? WeeklyHours, List<LocalDate>? Holidays, List<SpecialHoursInput>? SpecialHours)
{
    private static readonly Dictionary<string, IsoDayOfWeek> Days = new(StringComparer.Ordinal)
    {
        ["monday"] = IsoDayOfWeek.Monday,
        ["tuesday"] = IsoDayOfWeek.Tuesday,
        ["wednesday"] = IsoDayOfWeek.Wednesday,
        ["thursday"] = IsoDayOfWeek.Thursday,
        ["friday"] = IsoDayOfWeek.Friday,
        ["saturday"] = IsoDayOfWeek.Saturday,
        ["sunday"] = IsoDayOfWeek.Sunday,
    };

    /// <summary>The calendar, or null with the reasons added to <paramref name="errors"/> under <paramref name="path"/>.</summary>
    public BusinessCalendar? ToCalendar(InputErrors errors, string path)
    {
        ArgumentNullException.ThrowIfNull(errors);
        DateTimeZone? zone = null;
        try
        {
            zone = BusinessCalendar.ResolveZone(TimeZone ?? string.Empty);
        }
        catch (ArgumentException error)
        {
            errors.Add($"{path}.timeZone", error.Message);
        }

        var schedule = WeeklyHours is null ? WeeklySchedule.AroundTheClock : WeeklySchedule.Closed;
        foreach (var (name, hours) in WeeklyHours ?? [])
        {
            if (!Days.TryGetValue(name, out var day))
            {
                errors.Add($"{path}.weeklyHours.{name}", $"'{name}' is not a day: use monday … sunday in lower case.");
                continue;
            }

            for (var i = 0; i < (hours?.Count ?? 0); i++)
            {
                var h = hours![i];
                try
                {
                    schedule = schedule.Open(day, h.Start ?? string.Empty, h.End ?? string.Empty);
                }
                catch (Exception error) when (error is ArgumentException or FormatException)
                {
                    errors.Add($"{path}.weeklyHours.{name}[{i}]", error.Message);
                }
            }
        }

        var special = new List<SpecialHours>();
        for (var i = 0; i < (SpecialHours?.Count ?? 0); i++)
        {
            var s = SpecialHours![i];
            try
            {
                special.Add(new SpecialHours(s.Date, (s.Hours ?? []).Select(h => OpenInterval.Parse(h.Start ?? string.Empty, h.End ?? string.Empty))));
            }
            catch (Exception error) when (error is ArgumentException or FormatException)
            {
                errors.Add($"{path}.specialHours[{i}]", error.Message);
            }
        }

        if (zone is null || errors.Any)
        {
            return null;
        }

        return errors.Try($"{path}", () => new BusinessCalendar(zone, schedule, Holidays, special));
    }

    /// <summary>The input form of a stored calendar (what GET returns).</summary>
    public static CalendarInput From(BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (calendar.IsAlwaysOpen)
        {
            return new CalendarInput(calendar.Zone.Id, null, [], []);
        }

        var weekly = Days.ToDictionary(
            d => d.Key,
            d => calendar.Schedule.On(d.Value).Select(Hours).ToList());
        return new CalendarInput(
            calendar.Zone.Id,
            weekly.Where(d => d.Value.Count > 0).ToDictionary(),
            [.. calendar.Holidays],
            [.. calendar.SpecialHours.Select(s => new SpecialHoursInput(s.Date, [.. s.Hours.Select(Hours)]))]);
    }

    private static HoursInput Hours(OpenInterval interval)
        => new(interval.Start.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), interval.EndsAtMidnight ? "24:00" : interval.End.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>One priority's targets: ISO 8601 durations of business time; <c>coverage</c> businessHours (default) or aroundTheClock.</summary>
public sealed record PriorityTargetsInput(Duration FirstResponse, Duration Resolution, Duration? NextReply, CoverageHours Coverage = CoverageHours.BusinessHours);

/// <summary>An SLA tier: a name and targets per priority (<c>p1</c> … <c>p4</c>).</summary>
public sealed record PolicyInput(string? Name, Dictionary<TicketPriority, PriorityTargetsInput>? Targets, Dictionary<TicketPriority, PriorityTargetsInput>? Overrides)
{
    /// <summary>The tier and the customer's overrides, or null with the reasons in <paramref name="errors"/>.</summary>
    public (SlaPolicy Tier, Dictionary<TicketPriority, PriorityTargets> Overrides)? ToPolicy(InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors.Add("name", "A tier needs a name, e.g. Gold.");
        }

        if (Targets is null || Targets.Count == 0)
        {
            errors.Add("targets", "A tier needs targets for at least one priority, e.g. {\"p1\": {\"firstResponse\": \"PT1H\", \"resolution\": \"PT4H\"}}.");
            return null;
        }

        var targets = Convert(Targets, "targets", errors);
        var overrides = Convert(Overrides ?? [], "overrides", errors);
        if (errors.Any)
        {
            return null;
        }

        var tier = errors.Try("targets", () => new SlaPolicy(Name!.Trim(), targets));
        return tier is null ? null : (tier, overrides);
    }

    private static Dictionary<TicketPriority, PriorityTargets> Convert(Dictionary<TicketPriority, PriorityTargetsInput> input, string path, InputErrors errors)
    {
        var result = new Dictionary<TicketPriority, PriorityTargets>();
        foreach (var (priority, t) in input)
        {
            if (errors.Try($"{path}.{priority.ToString().ToLowerInvariant()}", () => new PriorityTargets(t.FirstResponse, t.Resolution, t.NextReply, t.Coverage)) is { } targets)
            {
                result[priority] = targets;
            }
        }

        return result;
    }
}

/// <summary>One row of a credit schedule: availability in [minPercent, maxPercent) earns creditPercent of the fee.</summary>
public sealed record CreditTierInput(decimal MinPercent, decimal MaxPercent, decimal CreditPercent);

/// <summary>Building domain values from request inputs into <see cref="InputErrors"/>.</summary>
public static class InputErrorsExtensions
{
    /// <summary>Builds credit schedule rows into the domain's schedule (null when none was given).</summary>
    public static CreditSchedule? Schedule(this InputErrors errors, IReadOnlyList<CreditTierInput>? rows, string field)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return rows is null ? null : errors.Try(field, () => new CreditSchedule(rows.Select(r => new CreditTier(r.MinPercent, r.MaxPercent, r.CreditPercent))));
    }
}
