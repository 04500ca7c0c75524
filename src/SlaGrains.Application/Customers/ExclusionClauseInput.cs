using SlaGrains.Domain.Agreements;

namespace SlaGrains.Application.Customers;

/// <summary>
/// Issue 20 — exclusions: one exclusion clause of the contract: <c>class</c> (<c>customerCaused</c>, <c>forceMajeure</c>
/// or <c>thirdParty</c>), whether time of that class is <c>excluded</c> from availability, and the <c>clause</c> as signed
/// (up to 2,000 characters).
/// </summary>
public sealed record ExclusionClauseInput(string? Class, bool Excluded, string? Clause)
{
    /// <summary>The input of a stored clause.</summary>
    public static ExclusionClauseInput From(ExclusionClause clause)
    {
        ArgumentNullException.ThrowIfNull(clause);
        return new(ExclusionWords.Word(clause.Class), clause.Excluded, clause.Clause);
    }

    /// <summary>The clauses, or an empty list with the reasons in <paramref name="errors"/> (fields <c>exclusions[i].class</c>, <c>exclusions[i].clause</c>).</summary>
    public static IReadOnlyList<ExclusionClause> ToClauses(IReadOnlyList<ExclusionClauseInput?>? inputs, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (inputs is null || !Bounds.CheckList(errors, "exclusions", inputs, ExclusionWords.Classes.Count))
        {
            return [];
        }

        var clauses = new List<ExclusionClause>();
        var valid = true;
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            if (ExclusionWords.Parse(input?.Class) is not { } cause)
            {
                errors.Add($"exclusions[{i}].class", "An exclusion class is customerCaused, forceMajeure or thirdParty.");
                valid = false;
                continue;
            }

            var text = input!.Clause?.Trim() ?? string.Empty;
            if (text.Length > 0 && !Bounds.CheckText(errors, $"exclusions[{i}].clause", text, ExclusionClause.MaxClause))
            {
                valid = false;
                continue;
            }

            clauses.Add(new ExclusionClause(cause, input.Excluded, text));
        }

        if (valid && ExclusionClause.Problem(clauses) is { } problem)
        {
            errors.Add(problem.Field, problem.Message);
        }

        return clauses;
    }
}

/// <summary>Issue 20 — exclusions: the exclusion classes in words, the same in the API (camelCase) and on every page.</summary>
public static class ExclusionWords
{
    /// <summary>The words the API takes and writes for <see cref="ExclusionClass"/>.</summary>
    public static IReadOnlyList<string> Classes { get; } = ["customerCaused", "forceMajeure", "thirdParty"];

    /// <summary>The API's word for a class.</summary>
    public static string Word(ExclusionClass cause) => cause switch
    {
        ExclusionClass.CustomerCaused => "customerCaused",
        ExclusionClass.ForceMajeure => "forceMajeure",
        _ => "thirdParty",
    };

    /// <summary>A class word read back (case, blanks, '-' and '_' forgiven); null when it is not one.</summary>
    public static ExclusionClass? Parse(string? word) => word?.Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant() switch
    {
        "customercaused" => ExclusionClass.CustomerCaused,
        "forcemajeure" => ExclusionClass.ForceMajeure,
        "thirdparty" => ExclusionClass.ThirdParty,
        _ => null,
    };

    /// <summary>A class word as a page shows it: Customer-caused, Force majeure, Third-party.</summary>
    public static string Label(string? word) => Parse(word) is { } cause ? Capital(ExclusionClause.Label(cause)) : "Unclassified";

    private static string Capital(string text) => string.Concat(char.ToUpperInvariant(text[0]).ToString(), text[1..]);
}
