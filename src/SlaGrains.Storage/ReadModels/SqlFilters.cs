using System.Data;
using SlaGrains.Contracts.ReadModels;

namespace SlaGrains.Storage.ReadModels;

/// <summary>The parts of a <c>WHERE</c> clause every read-model query builds the same way, on either store.</summary>
internal static class SqlFilters
{
    private static readonly Instant EarliestStored = ReadModelTime.Instant(long.MinValue);

    private static readonly Instant LatestStored = ReadModelTime.Instant(long.MaxValue);

    /// <summary><c> WHERE</c> and the conditions joined with <c>AND</c>; empty when there are none.</summary>
    public static string Where(List<string> conditions) => conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);

    /// <summary>
    /// "<c>customer_id</c> is one of <paramref name="customers"/>", adding its parameters to <paramref name="arguments"/>:
    /// <see cref="AnyOf"/> on <c>customer_id</c>, the parameters named <c>@customer</c>, <c>@customers</c> or
    /// <c>@customer0</c>, ….
    /// </summary>
    public static string Customers(IReadOnlyCollection<string> customers, bool asArray, List<SqlArgument> arguments)
        => AnyOf("customer_id", "customer", customers, asArray, arguments);

    /// <summary>
    /// "<paramref name="column"/> is one of <paramref name="values"/>" (at least one), adding its parameters to
    /// <paramref name="arguments"/>. One value is plain equality (<c>@name</c>) on both stores; two or more are one
    /// <c>text[]</c> parameter (<c>= ANY(@names)</c>) when <paramref name="asArray"/> (PostgreSQL: one statement text,
    /// hence one prepared statement, for any number of values), else <c>IN (@name0, …)</c> (SQLite).
    /// </summary>
    /// <param name="column">The text column compared.</param>
    /// <param name="name">The parameter name without its <c>@</c>, e.g. <c>customer</c>.</param>
    /// <param name="values">The values; duplicates are bound once.</param>
    /// <param name="asArray">True on PostgreSQL.</param>
    /// <param name="arguments">Where the parameters are added.</param>
    public static string AnyOf(string column, string name, IReadOnlyCollection<string> values, bool asArray, List<SqlArgument> arguments)
    {
        var distinct = values.Distinct(StringComparer.Ordinal).ToArray();
        if (distinct.Length == 1)
        {
            // One value (a customer's own people, one monitor): plain equality lets both stores walk the index in list
            // order and stop after a page, where PostgreSQL sorts every row an = ANY(...) finds.
            arguments.Add(new($"@{name}", DbType.String, distinct[0]));
            return $"{column} = @{name}";
        }

        if (asArray)
        {
            arguments.Add(new($"@{name}s", null, distinct));
            return $"{column} = ANY(@{name}s)";
        }

        var names = new string[distinct.Length];
        for (var i = 0; i < distinct.Length; i++)
        {
            names[i] = $"@{name}{i}";
            arguments.Add(new(names[i], DbType.String, distinct[i]));
        }

        return $"{column} IN ({string.Join(", ", names)})";
    }

    /// <summary>
    /// <paramref name="instant"/> as a bound to compare stored instants with: nanoseconds since the Unix epoch
    /// (<see cref="ReadModelTime"/>), clamped to the 64-bit range. Every stored instant lies in that range, so a bound
    /// beyond it (e.g. <see cref="Instant.MinValue"/> for "from the beginning") compares as the range's end does, where
    /// converting it would overflow.
    /// </summary>
    public static long Bound(Instant instant)
        => instant <= EarliestStored ? long.MinValue : instant >= LatestStored ? long.MaxValue : ReadModelTime.Nanoseconds(instant);
}
