using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace SlaGrains.Server.Tests.Fuzz;

/// <summary>
/// What the server holds, read two ways: every list and detail route of the seeded data as the admin sees it (JSON with
/// the values that move with the clock alone removed), and every row of every table of the SQLite file through a
/// read-only connection. Two captures are equal when nothing was changed between them.
/// </summary>
internal static class ServerState
{
    /// <summary>Values computed at read time from the clock (not stored): they differ between two reads of unchanged state.</summary>
    /// <summary>Also stripped: a key's last use, which every request with the key moves on purpose (the sweep sends keys).</summary>
    private static readonly HashSet<string> MovesWithTheClock = ["asOf", "elapsed", "remaining", "heartbeatDueAt", "lastUsedAt"];

    /// <summary>The one stored row a request with an API key writes on purpose (its last use, see AccountsGrain.UsesStateName).</summary>
    private const string KeyUsesRow = "=api-key-uses ";

    public static async Task<IReadOnlyDictionary<string, string>> CaptureAsync(FuzzWorld world)
    {
        var state = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string[] reads =
        [
            "api/v1/customers", "api/v1/users", "api/v1/api-keys", "api/v1/escalations?pageSize=200", "api/v1/tickets?pageSize=200", "api/v1/credits/trends",
            .. new[] { world.A, world.B }.SelectMany(c => new[]
            {
                $"api/v1/customers/{c}", $"api/v1/customers/{c}/credits", $"api/v1/customers/{c}/notices", $"api/v1/customers/{c}/disputes",
                $"api/v1/customers/{c}/escalation-rules", $"api/v1/customers/{c}/webhooks", $"api/v1/customers/{c}/webhooks/pending",
                $"api/v1/customers/{c}/webhooks/dead-letters", $"api/v1/customers/{c}/webhooks/deliveries?pageSize=100", $"api/v1/customers/{c}/reports",
            }),
            .. new[] { world.MonitorOfA, world.MonitorOfB }.SelectMany(m => new[]
            {
                $"api/v1/monitors/{m}", $"api/v1/monitors/{m}/maintenance", $"api/v1/monitors/{m}/incidents",
                $"api/v1/monitors/{m}/results?from={Uri.EscapeDataString((world.SeededAt - Duration.FromDays(1)).ToString())}&limit=10000",
            }),
            .. new[] { world.TicketOfA, world.TicketOfB }.SelectMany(t => new[] { $"api/v1/tickets/{t}", $"api/v1/tickets/{t}/audit" }),
        ];
        foreach (var read in reads)
        {
            using var response = await world.Admin.Http.GetAsync(read);
            var body = await response.Content.ReadAsStringAsync();
            state[$"GET {read}"] = $"{(int)response.StatusCode} {Normalize(body)}";
        }

        await using var connection = world.OpenStore();
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = world.TablesQuery;
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                var row = new StringBuilder();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.GetValue(i);
                    row.Append(reader.GetName(i)).Append('=').Append(value switch
                    {
                        byte[] bytes => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes))[..16],
                        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                        _ => value.ToString(),
                    }).Append(' ');
                }

                if (!row.ToString().Contains(KeyUsesRow, StringComparison.Ordinal))
                {
                    rows.Add(row.ToString());
                }
            }

            rows.Sort(StringComparer.Ordinal);
            state[$"table {table}"] = $"{rows.Count} rows\n{string.Join('\n', rows)}";
        }

        return state;
    }

    /// <summary>What differs between two captures: the read or table, and the first place they differ.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after)
    {
        var differences = new List<string>();
        foreach (var key in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var a = before.GetValueOrDefault(key) ?? "(absent)";
            var b = after.GetValueOrDefault(key) ?? "(absent)";
            if (a != b)
            {
                var at = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => a[i] != b[i], Math.Min(a.Length, b.Length));
                string Around(string s) => s.Substring(Math.Max(0, at - 80), Math.Min(s.Length - Math.Max(0, at - 80), 240)).ReplaceLineEndings(" ⏎ ");
                differences.Add($"{key}: {a.Split('\n')[0]} → {b.Split('\n')[0]}\n      before: …{Around(a)}…\n      after:  …{Around(b)}…");
            }
        }

        return differences;
    }

    private static string Normalize(string body)
    {
        try
        {
            var node = JsonNode.Parse(body);
            Strip(node);
            return node?.ToJsonString() ?? "null";
        }
        catch (System.Text.Json.JsonException)
        {
            return body;
        }
    }

    private static void Strip(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            foreach (var name in obj.Select(p => p.Key).Where(MovesWithTheClock.Contains).ToList())
            {
                obj.Remove(name);
            }

            foreach (var (_, value) in obj)
            {
                Strip(value);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                Strip(item);
            }
        }
    }
}
