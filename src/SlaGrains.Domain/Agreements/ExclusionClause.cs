namespace SlaGrains.Domain.Agreements;

/// <summary>
/// Why downtime happened, as contracts name the causes they may exclude from availability besides announced
/// maintenance. The numbers are stored: never renumber.
/// </summary>
public enum ExclusionClass
{
    /// <summary>Caused by the customer (its own change, its network, a misuse the contract names).</summary>
    CustomerCaused = 1,

    /// <summary>Force majeure: events beyond reasonable control (natural disaster, war, a regional power failure).</summary>
    ForceMajeure = 2,

    /// <summary>Caused by a third party the contract names (an upstream provider, a carrier, a registrar).</summary>
    ThirdParty = 3,
}

/// <summary>
/// One exclusion clause of the contract: whether downtime of <see cref="Class"/> is excluded from availability (taken
/// out of the measured period like announced maintenance) and the clause's words as signed.
/// </summary>
/// <param name="Class">The cause it is about.</param>
/// <param name="Excluded">True: time reclassified to this class is excluded; false: it stays downtime (labelled).</param>
/// <param name="Clause">The clause's text, at most <see cref="MaxClause"/> characters; may be empty.</param>
public sealed record ExclusionClause(ExclusionClass Class, bool Excluded, string Clause)
{
    /// <summary>The longest clause text: 2,000 characters.</summary>
    public const int MaxClause = 2_000;

    /// <summary>
    /// Why these clauses cannot be a contract's, naming the field (<c>exclusions[i].class</c>,
    /// <c>exclusions[i].clause</c>); null when they can. At most one clause per class; a class not listed is not excluded.
    /// </summary>
    public static (string Field, string Message)? Problem(IReadOnlyList<ExclusionClause> clauses)
    {
        Guard.NotNull(clauses, nameof(clauses));
        var seen = new HashSet<ExclusionClass>();
        for (var i = 0; i < clauses.Count; i++)
        {
            var clause = clauses[i];
            if (!Enum.IsDefined(clause.Class))
            {
                return ($"exclusions[{i}].class", "An exclusion class is customerCaused, forceMajeure or thirdParty.");
            }

            if (!seen.Add(clause.Class))
            {
                return ($"exclusions[{i}].class", $"The contract has one clause per class; {clause.Class} appears twice.");
            }

            if (clause.Clause is null || clause.Clause.Length > MaxClause)
            {
                return ($"exclusions[{i}].clause", $"A clause's text has at most {MaxClause} characters.");
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="clauses"/> exclude downtime of <paramref name="cause"/> (a class without a clause is not excluded).</summary>
    public static bool Excludes(IEnumerable<ExclusionClause>? clauses, ExclusionClass cause)
        => (clauses ?? []).Any(c => c.Class == cause && c.Excluded);

    /// <summary>The class in words, as reports and ledger reasons write it: customer-caused, force majeure, third-party.</summary>
    public static string Label(ExclusionClass cause) => cause switch
    {
        ExclusionClass.CustomerCaused => "customer-caused",
        ExclusionClass.ForceMajeure => "force majeure",
        _ => "third-party",
    };

    /// <summary>The clause for <paramref name="cause"/>; null when the contract has none.</summary>
    public static ExclusionClause? For(IEnumerable<ExclusionClause>? clauses, ExclusionClass cause)
        => (clauses ?? []).FirstOrDefault(c => c.Class == cause);
}

/// <summary>
/// A contract's exclusion clauses, one per class at most, kept in class order and compared by value, so two agreements
/// with the same clauses are equal (a contract read back from storage equals the one written).
/// </summary>
public sealed class ExclusionClauses : IReadOnlyList<ExclusionClause>, IEquatable<ExclusionClauses>
{
    private readonly ExclusionClause[] _clauses;

    /// <summary>The clauses, in class order.</summary>
    /// <exception cref="ArgumentException">Two clauses share a class, or a clause is invalid (<see cref="ExclusionClause.Problem"/>).</exception>
    public ExclusionClauses(IEnumerable<ExclusionClause> clauses)
    {
        Guard.NotNull(clauses, nameof(clauses));
        var list = clauses.ToList();
        if (ExclusionClause.Problem(list) is { } problem)
        {
            throw new ArgumentException($"{problem.Field}: {problem.Message}", nameof(clauses));
        }

        _clauses = [.. list.OrderBy(c => c.Class)];
    }

    /// <summary>No clause: no class is excluded.</summary>
    public static ExclusionClauses None { get; } = new([]);

    /// <inheritdoc />
    public int Count => _clauses.Length;

    /// <inheritdoc />
    public ExclusionClause this[int index] => _clauses[index];

    /// <inheritdoc />
    public IEnumerator<ExclusionClause> GetEnumerator() => ((IEnumerable<ExclusionClause>)_clauses).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _clauses.GetEnumerator();

    /// <inheritdoc />
    public bool Equals(ExclusionClauses? other) => other is not null && _clauses.SequenceEqual(other._clauses);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ExclusionClauses);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var clause in _clauses)
        {
            hash.Add(clause);
        }

        return hash.ToHashCode();
    }
}
