using System.Diagnostics.CodeAnalysis;

namespace SlaGrains.Application;

/// <summary>
/// The bounds every input is held to (DESIGN §6), in one place: each command and query checks its input here before
/// anything reaches a grain, so a domain guard never turns bad input into a 500 and nothing out of bounds is stored.
/// </summary>
/// <remarks>
/// A route id that is not an id answers 404 (it cannot name anything, and another tenant's id looks the same); a body
/// field out of bounds answers 400 naming the field.
/// </remarks>
public static class Bounds
{
    /// <summary>Longest id.</summary>
    public const int IdLength = 64;

    /// <summary>Longest name (customer, tier, monitor, team, person, group, description).</summary>
    public const int NameLength = 200;

    /// <summary>Longest subject (a ticket's).</summary>
    public const int SubjectLength = 500;

    /// <summary>Longest free text (evidence, a note, a resolution, a maintenance description).</summary>
    public const int TextLength = 10_000;

    /// <summary>Highest page number a paged list takes (page 1 is the first).</summary>
    public const int MaxPage = 10_000;

    /// <summary>Most items one page holds.</summary>
    public const int MaxPageSize = 500;

    /// <summary>Highest monthly fee (and any amount of money), in the contract's currency.</summary>
    public const decimal MaxMoney = 1_000_000_000m;

    /// <summary>Most decimals an amount of money has.</summary>
    public const int MoneyDecimals = 2;

    /// <summary>Longest duration anything is configured with (a target, a grace, a window): ten years.</summary>
    public static Duration MaxDuration { get; } = Duration.FromDays(3_653);

    /// <summary>Earliest instant an input may name: 2000-01-01T00:00Z.</summary>
    public static Instant EarliestInstant { get; } = Instant.FromUtc(2000, 1, 1, 0, 0);

    /// <summary>Latest instant an input may name (exclusive): 2100-01-01T00:00Z.</summary>
    public static Instant LatestInstant { get; } = Instant.FromUtc(2100, 1, 1, 0, 0);

    /// <summary>Earliest date an input may name.</summary>
    public static LocalDate EarliestDate { get; } = new(2000, 1, 1);

    /// <summary>Latest date an input may name.</summary>
    public static LocalDate LatestDate { get; } = new(2099, 12, 31);

    /// <summary>Whether <paramref name="id"/> may name a customer, monitor, ticket or rule: 1–64 of <c>A–Z a–z 0–9 . _ -</c>.</summary>
    public static bool IsId([NotNullWhen(true)] string? id)
        => id is { Length: > 0 and <= IdLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>
    /// Whether <paramref name="id"/> may name something a parent numbers for itself (an incident or maintenance
    /// window: the monitor's id and a suffix): the characters of an id, at most twice as long.
    /// </summary>
    public static bool IsChildId([NotNullWhen(true)] string? id)
        => id is { Length: > 0 and <= 2 * IdLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>The message for an id that is not one.</summary>
    public static string IdRule(string what) => $"{what} has 1–{IdLength} letters, digits, '.', '-' or '_'.";

    /// <summary>
    /// Text that repeats what a caller sent (an id in "does not exist", a field name): control characters become
    /// U+FFFD and anything past <paramref name="maxLength"/> is cut, so an answer never carries what was refused.
    /// </summary>
    public static string Echo(string text, int maxLength = 300)
    {
        ArgumentNullException.ThrowIfNull(text);
        var clipped = text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, maxLength), "…");
        return clipped.Any(char.IsControl) ? new string([.. clipped.Select(c => char.IsControl(c) ? '\uFFFD' : c)]) : clipped;
    }

    /// <summary>Null for blank text, otherwise trimmed.</summary>
    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Whether <paramref name="text"/> has no control characters (they would corrupt headers, CSV and logs).</summary>
    public static bool IsPrintable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return !text.Any(char.IsControl);
    }

    /// <summary>Whether <paramref name="text"/> is free text: line breaks and tabs are allowed, other control characters (which corrupt CSV and logs) are not.</summary>
    public static bool IsText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return !text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'));
    }

    /// <summary>An optional id in a body: when present it must be an id. True when absent or valid.</summary>
    public static bool CheckId(InputErrors errors, string field, string? id, string what)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (id is null || IsId(id))
        {
            return true;
        }

        errors.Add(field, IdRule(what));
        return false;
    }

    /// <summary>An optional name (at most <see cref="NameLength"/>, no control characters). True when absent or valid.</summary>
    public static bool CheckName(InputErrors errors, string field, string? value, int maxLength = NameLength)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (value is null || (value.Length <= maxLength && IsPrintable(value)))
        {
            return true;
        }

        errors.Add(field, $"At most {maxLength:N0} characters and no control characters.");
        return false;
    }

    /// <summary>Optional free text (at most <see cref="TextLength"/>, no control characters but line breaks and tabs). True when absent or valid.</summary>
    public static bool CheckText(InputErrors errors, string field, string? value, int maxLength = TextLength)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (value is null || (value.Length <= maxLength && IsText(value)))
        {
            return true;
        }

        errors.Add(field, $"At most {maxLength:N0} characters, and no control characters other than line breaks and tabs.");
        return false;
    }

    /// <summary>An optional list: at most <paramref name="max"/> items and no <c>null</c> item (named by index). True when absent or valid.</summary>
    public static bool CheckList<T>(InputErrors errors, string field, IReadOnlyCollection<T?>? items, int max)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (items is null)
        {
            return true;
        }

        if (items.Count > max)
        {
            errors.Add(field, $"At most {max:N0} items.");
            return false;
        }

        var valid = true;
        var i = 0;
        foreach (var item in items)
        {
            if (item is null)
            {
                errors.Add($"{field}[{i}]", "An item cannot be null.");
                valid = false;
            }

            i++;
        }

        return valid;
    }

    /// <summary>An enum value in a body: present (when <paramref name="required"/>) and one of the enum's names. True when valid.</summary>
    public static bool CheckEnum<TEnum>(InputErrors errors, string field, TEnum? value, bool required, string message)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (value is null ? !required : Enum.IsDefined(value.Value))
        {
            return true;
        }

        errors.Add(field, message);
        return false;
    }

    /// <summary>
    /// The data coverage a period needs to be judged: 1–100 percent with at most 2 decimals (a threshold under 1 %
    /// would judge a month from minutes of data). True when valid.
    /// </summary>
    public static bool CheckCoveragePercent(InputErrors errors, string field, decimal percent)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (percent is >= 1m and <= 100m && decimal.Round(percent, 2) == percent)
        {
            return true;
        }

        errors.Add(field, "The data coverage needed is 1 to 100 percent with at most 2 decimals.");
        return false;
    }

    /// <summary>An amount of money: 0–<see cref="MaxMoney"/> with at most <see cref="MoneyDecimals"/> decimals. True when valid.</summary>
    public static bool CheckMoney(InputErrors errors, string field, decimal amount)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (amount is >= 0 and <= MaxMoney && decimal.Round(amount, MoneyDecimals) == amount)
        {
            return true;
        }

        errors.Add(field, $"An amount is 0 to {MaxMoney:N0} with at most {MoneyDecimals} decimals.");
        return false;
    }

    /// <summary>An optional duration: 0 to <see cref="MaxDuration"/>. True when absent or valid.</summary>
    public static bool CheckDuration(InputErrors errors, string field, Duration? duration)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (duration is null || (duration.Value >= Duration.Zero && duration.Value <= MaxDuration))
        {
            return true;
        }

        errors.Add(field, "A duration is 0 to 10 years.");
        return false;
    }

    /// <summary>An optional instant: within [<see cref="EarliestInstant"/>, <see cref="LatestInstant"/>). True when absent or valid.</summary>
    public static bool CheckInstant(InputErrors errors, string field, Instant? at)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (at is null || (at.Value >= EarliestInstant && at.Value < LatestInstant))
        {
            return true;
        }

        errors.Add(field, "An instant is from 2000-01-01 to 2099-12-31 (UTC).");
        return false;
    }

    /// <summary>
    /// How far in the past a maintenance window may start: a few minutes, for a window announced "from now" whose
    /// form took a moment to fill in. Earlier starts would excuse downtime after the fact.
    /// </summary>
    public static Duration MaintenanceStartGrace { get; } = Duration.FromMinutes(5);

    /// <summary>
    /// A maintenance window's start: not before <paramref name="now"/> less <see cref="MaintenanceStartGrace"/>
    /// (announcing a window that has already begun would turn past downtime into maintenance). True when valid.
    /// </summary>
    public static bool CheckMaintenanceStart(InputErrors errors, string field, Instant start, Instant now)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (start >= now - MaintenanceStartGrace)
        {
            return true;
        }

        errors.Add(field, "A maintenance window cannot start in the past: announce it before it begins.");
        return false;
    }

    /// <summary>An optional date: within <see cref="EarliestDate"/>–<see cref="LatestDate"/>. True when absent or valid.</summary>
    public static bool CheckDate(InputErrors errors, string field, LocalDate? date)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (date is null || (date.Value >= EarliestDate && date.Value <= LatestDate))
        {
            return true;
        }

        errors.Add(field, "A date is from 2000-01-01 to 2099-12-31.");
        return false;
    }

    /// <summary>An optional page number (1–<see cref="MaxPage"/>) and page size (1–<paramref name="maxSize"/>). True when valid.</summary>
    public static bool CheckPage(InputErrors errors, int? page, int? pageSize, int maxSize = MaxPageSize)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var valid = true;
        if (page is < 1 or > MaxPage)
        {
            errors.Add("page", $"A page number is 1–{MaxPage:N0}.");
            valid = false;
        }

        if (pageSize < 1 || pageSize > maxSize)
        {
            errors.Add("pageSize", $"A page holds 1–{maxSize:N0} items.");
            valid = false;
        }

        return valid;
    }
}
