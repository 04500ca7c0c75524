using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using SlaGrains.Domain.Credits;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Application.Customers;

/// <summary>
/// A ticket-SLA credit clause of the contract: <c>metric</c> firstResponse or resolution, the <c>priorities</c> it counts
/// (p1–p4), <c>tiers</c> of the month's compliance percent (rows as in the credit schedule, e.g.
/// <c>[{"minPercent": 0, "maxPercent": 95, "creditPercent": 5}]</c>: below 95 % of clocks met → 5 % of the fee) and the
/// clause's own <c>capPercent</c> of the monthly fee (required, in (0, 100]).
/// </summary>
public sealed record TicketCreditInput(SlaMetric? Metric, List<TicketPriority>? Priorities, List<CreditTierInput>? Tiers, decimal? CapPercent)
{
    /// <summary>Most tiers one clause has.</summary>
    public const int MaxTiers = 20;

    /// <summary>
    /// The clauses of <paramref name="inputs"/> (none when null), or null with the reasons in <paramref name="errors"/>
    /// under <c>ticketCredits</c>, <c>ticketCredits[i]</c> and <c>ticketCredits[i].metric|priorities|tiers|capPercent</c>.
    /// </summary>
    public static ImmutableArray<TicketCreditClause>? ToClauses(IReadOnlyList<TicketCreditInput?>? inputs, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (inputs is null)
        {
            return [];
        }

        if (inputs.Count > TicketCreditClause.MaxClauses)
        {
            errors.Add("ticketCredits", $"A contract has at most {TicketCreditClause.MaxClauses} ticket-SLA credit clauses; got {inputs.Count}.");
            return null;
        }

        var clauses = ImmutableArray.CreateBuilder<TicketCreditClause>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i]?.ToClause($"ticketCredits[{i}]", errors) is { } clause)
            {
                clauses.Add(clause);
            }
            else if (inputs[i] is null)
            {
                errors.Add($"ticketCredits[{i}]", "A ticket-SLA credit is {\"metric\": \"firstResponse\", \"priorities\": [\"p1\", \"p2\"], \"tiers\": [{\"minPercent\": 0, \"maxPercent\": 95, \"creditPercent\": 5}], \"capPercent\": 5}.");
            }
        }

        return clauses.Count == inputs.Count ? clauses.ToImmutable() : null;
    }

    /// <summary>The input form of a stored clause.</summary>
    public static TicketCreditInput From(TicketCreditClause clause)
    {
        ArgumentNullException.ThrowIfNull(clause);
        return new(clause.Metric, [.. clause.Priorities], [.. clause.Tiers.Tiers.Select(t => new CreditTierInput(t.MinPercent, t.MaxPercent, t.CreditPercent))], clause.CapPercent);
    }

    /// <summary>
    /// The clauses as the admin page's text, one line each: <c>firstResponse p1 p2: below 95 → 5, below 90 → 10; cap 10</c>
    /// ("below X → Y": compliance under X % earns Y % of the fee, the band reaching down to the next bound or 0).
    /// </summary>
    public static string ToText(IEnumerable<TicketCreditInput> clauses)
    {
        ArgumentNullException.ThrowIfNull(clauses);
        return string.Join("\n", clauses.Select(c =>
        {
            var line = new StringBuilder(Camel(c.Metric)).Append(' ').Append(string.Join(' ', (c.Priorities ?? []).Select(p => p.ToString().ToLowerInvariant())));
            line.Append(": ").Append(string.Join(", ", (c.Tiers ?? []).OrderByDescending(t => t.MaxPercent).Select(t => $"below {Number(t.MaxPercent)} → {Number(t.CreditPercent)}")));
            return line.Append("; cap ").Append(c.CapPercent is { } cap ? Number(cap) : string.Empty).ToString();
        }));
    }

    /// <summary>
    /// Reads the admin page's text (see <see cref="ToText"/>; blank lines are skipped), or null with the reasons under
    /// <c>ticketCredits</c> naming the line. The clauses it gives are checked again as the API's are.
    /// </summary>
    public static List<TicketCreditInput>? FromText(string? text, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var lines = (text ?? string.Empty).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (lines.Count > TicketCreditClause.MaxClauses)
        {
            errors.Add("ticketCredits", $"A contract has at most {TicketCreditClause.MaxClauses} ticket-SLA credit clauses, one a line; got {lines.Count}.");
            return null;
        }

        var inputs = new List<TicketCreditInput>(lines.Count);
        for (var n = 0; n < lines.Count; n++)
        {
            if (ParseLine(lines[n]) is { } input)
            {
                inputs.Add(input);
            }
            else
            {
                errors.Add("ticketCredits", $"Line {n + 1} should read like \"firstResponse p1 p2: below 95 → 5, below 90 → 10; cap 10\"; got \"{lines[n]}\".");
            }
        }

        return inputs.Count == lines.Count ? inputs : null;
    }

    /// <summary>The clause, or null with the reasons under <paramref name="field"/>.</summary>
    private TicketCreditClause? ToClause(string field, InputErrors errors)
    {
        var valid = true;
        if (Metric is null)
        {
            errors.Add($"{field}.metric", "A ticket-SLA credit measures firstResponse or resolution.");
            valid = false;
        }

        if (Priorities is not { Count: > 0 and <= 4 })
        {
            errors.Add($"{field}.priorities", "A ticket-SLA credit names the priorities it counts, one to four of p1, p2, p3, p4.");
            valid = false;
        }

        CreditSchedule? tiers = null;
        if (Tiers is not { Count: > 0 and <= MaxTiers })
        {
            errors.Add($"{field}.tiers", $"A ticket-SLA credit has 1 to {MaxTiers} tiers of compliance percent, e.g. [{{\"minPercent\": 0, \"maxPercent\": 95, \"creditPercent\": 5}}].");
            valid = false;
        }
        else
        {
            var rows = Tiers;
            tiers = errors.Try($"{field}.tiers", () => new CreditSchedule(rows.Select(r => r is null
                ? throw new ArgumentException("A tier is {\"minPercent\": 0, \"maxPercent\": 95, \"creditPercent\": 5}.")
                : new CreditTier(r.MinPercent, r.MaxPercent, r.CreditPercent))));
            valid &= tiers is not null;
        }

        if (CapPercent is null)
        {
            errors.Add($"{field}.capPercent", "A ticket-SLA credit has its own cap, percent of the monthly fee, e.g. 10.");
            valid = false;
        }

        if (!valid)
        {
            return null;
        }

        var clause = new TicketCreditClause(Metric!.Value, [.. Priorities!], tiers!, CapPercent!.Value);
        if (clause.Problem() is { } problem)
        {
            errors.Add($"{field}.{problem.Field}", problem.Message);
            return null;
        }

        return clause;
    }

    private static TicketCreditInput? ParseLine(string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        var semicolon = line.LastIndexOf(';');
        if (colon < 0 || semicolon < colon)
        {
            return null;
        }

        var head = line[..colon].Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        SlaMetric? metric = head.FirstOrDefault()?.ToLowerInvariant() switch
        {
            "firstresponse" => SlaMetric.FirstResponse,
            "resolution" => SlaMetric.Resolution,
            _ => null,
        };
        var priorities = new List<TicketPriority>();
        foreach (var word in head.Skip(1))
        {
            if (!Enum.TryParse<TicketPriority>(word, ignoreCase: true, out var priority) || !Enum.IsDefined(priority) || char.IsDigit(word[0]))
            {
                return null;
            }

            priorities.Add(priority);
        }

        var bands = new List<(decimal Below, decimal Credit)>();
        foreach (var part in line[(colon + 1)..semicolon].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var words = part.Replace("->", " → ", StringComparison.Ordinal).Split([' ', '→', '%'], StringSplitOptions.RemoveEmptyEntries);
            if (words is not ["below", var below, var credit] || !TryNumber(below, out var max) || !TryNumber(credit, out var percent))
            {
                return null;
            }

            bands.Add((max, percent));
        }

        var capWords = line[(semicolon + 1)..].Split([' ', '%'], StringSplitOptions.RemoveEmptyEntries);
        if (metric is null || capWords is not ["cap", var capText] || !TryNumber(capText, out var cap))
        {
            return null;
        }

        // "below 95 → 5, below 90 → 10": bands [90, 95) → 5 and [0, 90) → 10.
        var ordered = bands.OrderByDescending(b => b.Below).ToList();
        var tiers = ordered.Select((b, i) => new CreditTierInput(i + 1 < ordered.Count ? ordered[i + 1].Below : 0m, b.Below, b.Credit)).ToList();
        return new TicketCreditInput(metric, priorities, tiers, cap);
    }

    private static bool TryNumber(string text, out decimal value)
        => decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && value <= 100m;

    private static string Number(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    private static string Camel(SlaMetric? metric) => metric switch
    {
        SlaMetric.FirstResponse => "firstResponse",
        SlaMetric.Resolution => "resolution",
        SlaMetric.NextReply => "nextReply",
        _ => string.Empty,
    };
}
