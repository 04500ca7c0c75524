using System.Data;

namespace SlaGrains.Storage.ReadModels;

/// <summary>The parts of a <c>WHERE</c> clause every read-model query builds the same way, on either store.</summary>
internal static class SqlFilters
{
    /// <summary><c> WHERE</c> and the conditions joined with <c>AND</c>; empty when there are none.</summary>
    public static string Where(List<string> conditions) => conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);

    /// <summary>
    /// "<c>customer_id</c> is one of <paramref name="customers"/>", adding its parameters to <paramref name="arguments"/>.
    /// One customer is plain equality on both stores; two or more are one <c>text[]</c> parameter
    /// (<c>= ANY(@customers)</c>) when <paramref name="asArray"/> (PostgreSQL: one statement text, hence one prepared
    /// statement, for any number of customers), else <c>IN (@customer0, …)</c> (SQLite).
    /// </summary>
    public static string Customers(IReadOnlyCollection<string> customers, bool asArray, List<SqlArgument> arguments)
    {
        var distinct = customers.Distinct(StringComparer.Ordinal).ToArray();
        if (distinct.Length == 1)
        {
            // One customer (a customer's own people): plain equality lets both stores walk the customer's index in list
            // order and stop after a page, where PostgreSQL sorts every row an = ANY(...) finds.
            arguments.Add(new("@customer", DbType.String, distinct[0]));
            return "customer_id = @customer";
        }

        if (asArray)
        {
            arguments.Add(new("@customers", null, distinct));
            return "customer_id = ANY(@customers)";
        }

        var names = new string[distinct.Length];
        for (var i = 0; i < distinct.Length; i++)
        {
            names[i] = $"@customer{i}";
            arguments.Add(new(names[i], DbType.String, distinct[i]));
        }

        return $"customer_id IN ({string.Join(", ", names)})";
    }
}
