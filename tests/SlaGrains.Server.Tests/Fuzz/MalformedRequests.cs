using System.Text;
using System.Text.Json.Nodes;

namespace SlaGrains.Server.Tests.Fuzz;

/// <summary>
/// One malformed request: <paramref name="Url"/> relative to the server, the body's bytes and content type, what was
/// broken, and whether a 2xx is acceptable (<paramref name="MayBeAccepted"/>: only for inputs the operation ignores, or
/// values that may be valid sent to an operation that stores nothing).
/// </summary>
internal sealed record FuzzRequest(string Operation, string Method, string Url, byte[]? Body, string? ContentType, string What, bool MayBeAccepted);

/// <summary>
/// Malformed requests for an operation, made from its baseline by breaking one thing at a time: the JSON itself, the
/// content type, each property (wrong JSON types, null, missing, out-of-range and malformed values, control
/// characters, huge strings and arrays), reversed intervals, each path value and each query value.
/// </summary>
/// <remarks>
/// Every request must be refused, so none may change state. A value that might be valid where it is put (a null, a
/// missing property, 0, an empty string or list, a far but well-formed instant) is sent together with a
/// <em>poison</em>: another property set to a value no bound allows (a string of 10,001 characters, or -1), or, when the
/// body has none, a path id that does not exist. Values that no input may take (control characters, overflowing numbers
/// and durations, unknown zones, end before start, 100k-element lists, 1 MB strings) are sent alone: a 2xx for them is a
/// missing bound and is reported.
/// </remarks>
internal static class MalformedRequests
{
    private const string Json = "application/json";
    private static readonly string TooLong = new('a', 10_001);

    public static IEnumerable<FuzzRequest> For(ApiOperation operation, Baseline baseline)
    {
        var stateless = Baseline.IsStateless(operation);
        var requests = new List<FuzzRequest>();
        void Add(string url, byte[]? body, string? contentType, string what, bool mayBeAccepted)
            => requests.Add(new FuzzRequest(operation.Name, operation.Method, url, body, contentType, what, mayBeAccepted));

        var url = Url(operation, baseline.Path, baseline.Query);
        if (baseline.Body is { } body)
        {
            var text = body.ToJsonString();
            foreach (var (what, bytes) in MalformedJson(text, body is JsonArray))
            {
                Add(url, bytes, Json, what, mayBeAccepted: false);
            }

            foreach (var contentType in new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=fuzz", null })
            {
                Add(url, Encoding.UTF8.GetBytes(text), contentType, $"well-formed body sent as {contentType ?? "no content type"}", mayBeAccepted: false);
            }

            var locations = Walk(body, operation.Body, [], null, null).ToList();
            var poisons = locations.Where(l => l.Node is not null && l.Kind is "string" or "int" or "number").ToList();
            foreach (var mutation in locations.SelectMany(Mutations).Concat(ReversedIntervals(locations)))
            {
                var edits = new List<Edit>(mutation.Edits);
                var target = url;
                var what = mutation.What;
                var mayBeAccepted = false;
                if (!mutation.SurelyInvalid)
                {
                    if (poisons.FirstOrDefault(p => !mutation.Edits.Any(e => Overlaps(e.Path, p.Path))) is { } poison)
                    {
                        edits.Add(new Edit(poison.Path, poison.Kind == "string" ? $"\"{TooLong}\"" : "-1"));
                        what += $", with {poison.JsonPath} ← {(poison.Kind == "string" ? "10,001 characters" : "-1")}";
                    }
                    else if (stateless)
                    {
                        mayBeAccepted = true;
                    }
                    else if (operation.PathParameters.FirstOrDefault() is { } first)
                    {
                        target = Url(operation, new Dictionary<string, string>(baseline.Path) { [first.Name] = "fuzz-missing-0" }, baseline.Query, escaped: first.Name);
                        what += $", with {first.Name} of nothing that exists";
                    }
                    else
                    {
                        continue; // nothing to make it surely invalid with: not sent
                    }
                }

                Add(target, Encoding.UTF8.GetBytes(Apply(body, edits)), Json, what, mayBeAccepted);
            }
        }

        foreach (var parameter in operation.PathParameters)
        {
            var real = Uri.EscapeDataString(baseline.Path[parameter.Name]);
            var odd = OddPathValues.Concat([$"{real}%20", $"%20{real}", $"{real}%0A", $"{real}%00"]).ToList();
            // User names are case-insensitive (ALICE is alice, as at sign-in): upper case is the same user there.
            if (real.ToUpperInvariant() != real && parameter.Name != "userName")
            {
                odd.Add(real.ToUpperInvariant());
            }

            foreach (var value in odd)
            {
                var path = new Dictionary<string, string>(baseline.Path) { [parameter.Name] = value };
                var dotSegment = value is ".." or "%2E%2E";
                Add(Url(operation, path, baseline.Query, escaped: parameter.Name), baseline.Body is { } b ? Encoding.UTF8.GetBytes(b.ToJsonString()) : null, baseline.Body is null ? null : Json,
                    $"path {parameter.Name} = '{Shorten(value)}'", mayBeAccepted: dotSegment && operation.Method == "GET");
            }
        }

        foreach (var parameter in operation.QueryParameters)
        {
            foreach (var value in OddQueryValues(operation, parameter.Name))
            {
                var query = new Dictionary<string, string>(baseline.Query) { [parameter.Name] = value };
                Add(Url(operation, baseline.Path, query, escaped: parameter.Name), null, null, $"query {parameter.Name} = '{Shorten(value)}'", mayBeAccepted: false);
            }
        }

        if (baseline.Query.TryGetValue("from", out var from) && baseline.Query.TryGetValue("to", out var to))
        {
            var reversed = new Dictionary<string, string>(baseline.Query) { ["from"] = to, ["to"] = from };
            Add(Url(operation, baseline.Path, reversed), null, null, "query from after to", mayBeAccepted: false);
        }

        if (baseline.Body is null && !operation.PathParameters.Any() && !operation.QueryParameters.Any())
        {
            // Nothing to break but inputs it does not take: they must be ignored or refused, never a 5xx.
            Add(url + "?%00=%00&x=%FF%FE&page=-1", null, null, "unknown query parameters with control characters", mayBeAccepted: true);
            Add(url, Encoding.UTF8.GetBytes("{\"a\":"), Json, "a malformed JSON body it does not take", mayBeAccepted: true);
            Add(url, Encoding.UTF8.GetBytes(new string('[', 5_000)), "text/plain", "a junk body in another content type", mayBeAccepted: true);
        }

        return requests;
    }

    private static readonly string[] OddPathValues =
    [
        "%20", "%20%20%20", "%09", "%0D%0A", "%00", "x%00y", "%1B%5B31m", "..", "%2E%2E", "%2F", "a%2Fb", "%5C", "%3Cscript%3E", "'%3B--",
        new string('a', 1024), string.Concat(Enumerable.Repeat("%C3%A9", 300)), "%F0%9D%84%9E", "%E2%80%AEevil", "%FF%FE", "-1", "2147483648", "null",
    ];

    private static IEnumerable<string> OddQueryValues(ApiOperation operation, string name)
    {
        var managers = operation.Template.EndsWith("/reports/managers", StringComparison.Ordinal);
        string[] common = ["%00", "%1B%5B31m", new string('a', 1025)];
        return name switch
        {
            "page" or "pageSize" or "limit" => ["2147483647", "2147483648", "-1", "0", "-2147483649", "9223372036854775808", "1e400", "abc", "1.5", "0x10", "%20", "%00"],
            "from" or "to" when !managers => ["2026-13-01T00:00:00Z", "yesterday", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "10000-01-01T00:00:00Z", "2026-01-01T00:00:00",
                "9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00%2B01:00", "1e400", "-1", .. common],
            "from" or "to" or "period" or "month" => ["2026-13", "2026-00", "0000-01", "10000-01", "2026-1", "abc", "-1", .. common],
            "quarter" => ["2026-Q5", "2026-Q0", "Q1", "2026Q1", "99999-Q1", "2026-Q-1", .. common],
            "format" => ["exe", "json%00", "..%2F..%2Fetc%2Fpasswd", .. common],
            "acknowledged" => ["maybe", "2", "yes", "truee", "%00"],
            "granularity" or "state" or "metric" or "priority" or "outcome" => ["nope", "99", "-1", "%20", .. common],
            "cursor" => ["garbage", "-1", "eyJ4IjoxfQ", .. common],
            "customer" or "team" or "assignee" or "group" or "tier" => ["%20", .. common],
            _ => common,
        };
    }

    /// <summary>Bodies that are not JSON, or JSON of the wrong shape.</summary>
    private static IEnumerable<(string What, byte[] Body)> MalformedJson(string baseline, bool isArray)
    {
        (string, string)[] texts =
        [
            ("an empty body", ""),
            ("a truncated object", "{"),
            ("a stray closing brace", "}"),
            ("a truncated array", "["),
            ("a property without a value", "{\"a\":}"),
            ("a truncated literal", "nul"),
            ("single-quoted JSON", "{'a': 1}"),
            ("a trailing comma", baseline[..^1] + ",}"),
            ("a comment", "/* comment */ " + baseline),
            ("trailing garbage", baseline + "x"),
            ("an unterminated string", "{\"a\": \"b"),
            ("an invalid escape", "{\"a\": \"\\uZZZZ\"}"),
            ("a lone surrogate escape in a property name", "{\"\\ud800\": 1}"),
            ("5,000 nested arrays", new string('[', 5_000) + new string(']', 5_000)),
            ("5,000 nested objects", string.Concat(Enumerable.Repeat("{\"a\":", 5_000)) + "1" + new string('}', 5_000)),
            ("NaN", "NaN"),
            ("a bare number", "1"),
            ("a bare string", "\"x\""),
            ("a bare true", "true"),
            ("null", "null"),
            (isArray ? "an object where an array belongs" : "an array where an object belongs", isArray ? "{}" : "[]"),
            ("the body after 1.2 MB of whitespace (over the 1 MB limit)", new string(' ', 1_200_000) + baseline),
        ];
        foreach (var (what, text) in texts)
        {
            yield return (what, Encoding.UTF8.GetBytes(text));
        }

        yield return ("invalid UTF-8", [0xFF, 0xFE, (byte)'{', 0xC3, 0x28, (byte)'}']);
        yield return ("UTF-16 bytes", Encoding.Unicode.GetBytes(baseline));
    }

    private sealed record Location(IReadOnlyList<object> Path, JsonNode? Node, Schema? Schema, string Kind)
    {
        public string JsonPath => "$" + string.Concat(Path.Select(s => s is int i ? $"[{i}]" : $".{s}"));
    }

    private sealed record Edit(IReadOnlyList<object> Path, string? Raw);

    private sealed record Mutation(string What, IReadOnlyList<Edit> Edits, bool SurelyInvalid);

    /// <summary>Every place in the body (the first element of each list), with its schema and the kind of value it holds.</summary>
    private static IEnumerable<Location> Walk(JsonNode? node, Schema? schema, List<object> path, string? name, string? parent)
    {
        yield return new Location([.. path], node, schema, KindOf(node, schema, name, parent));
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                foreach (var inner in Walk(value, schema?.Property(key), [.. path, key], key, schema?.Reference))
                {
                    yield return inner;
                }
            }
        }
        else if (node is JsonArray { Count: > 0 } array)
        {
            foreach (var inner in Walk(array[0], schema?.Items, [.. path, 0], $"{name}[]", schema?.Reference))
            {
                yield return inner;
            }
        }
    }

    private static string KindOf(JsonNode? node, Schema? schema, string? name, string? parent)
    {
        switch (schema?.Reference)
        {
            case "Instant": return "instant";
            case "Duration": return "duration";
            case "LocalDate": return "date";
            case "YearMonth": return "month";
        }

        if (schema?.Enum is not null)
        {
            return "enum";
        }

        return node switch
        {
            JsonArray => "array",
            JsonObject => schema?.IsDictionary == true ? "dictionary" : "object",
            JsonValue v when v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => "bool",
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => schema?.Types.Contains("integer") == true ? "int" : schema?.Types.Contains("number") == true ? "number" : "any",
            JsonValue => name switch
            {
                "timeZone" => "zone",
                "url" => "url",
                "evidence" or "note" or "resolution" or "downIntervalsCsv" => "text",
                "description" when parent == "MaintenanceRequest" => "text",
                "holidays[]" => "date",
                "start" or "end" when parent == "HoursInput" => "time",
                _ => "string",
            },
            _ when schema is null => "any",
            _ when schema.Types.Contains("boolean") => "bool",
            _ when schema.Types.Contains("integer") => "int",
            _ when schema.Types.Contains("number") => "number",
            _ when schema.Types.Contains("array") => "array",
            _ when schema.Types.Contains("object") => schema.IsDictionary ? "dictionary" : "object",
            _ => "string",
        };
    }

    /// <summary>The broken values for one place.</summary>
    private static IEnumerable<Mutation> Mutations(Location at)
    {
        var path = at.JsonPath;
        Mutation Set(string raw, string label, bool surely) => new($"{path} ← {label}", [new Edit(at.Path, raw)], surely);
        if (at.Path.Count == 0)
        {
            // The root: its wrong shapes are among the malformed bodies; what is left is list-level.
            foreach (var m in ListMutations(at, Set))
            {
                yield return m;
            }

            yield break;
        }

        var inList = at.Path[^1] is int;
        var valueType = at.Kind is "bool" or "int" or "number" or "instant" or "duration" or "date" or "month" or "enum";
        yield return Set("null", "null", surely: inList || (valueType && !(at.Schema?.Nullable ?? true)));
        if (!inList)
        {
            yield return new Mutation($"{path} missing", [new Edit(at.Path, null)], SurelyInvalid: false);
        }

        foreach (var (raw, label) in WrongTypes(at.Kind))
        {
            yield return Set(raw, label, surely: true);
        }

        foreach (var (raw, label, surely) in Values(at.Kind))
        {
            yield return Set(raw, label, surely);
        }

        foreach (var m in ListMutations(at, Set))
        {
            yield return m;
        }
    }

    private static IEnumerable<Mutation> ListMutations(Location at, Func<string, string, bool, Mutation> set)
    {
        if (at.Node is JsonArray array)
        {
            var text = array.ToJsonString();
            var element = array.Count > 0 ? array[0]?.ToJsonString() ?? "null" : "\"x\"";
            var count = Math.Clamp(900_000 / (element.Length + 1), 1_000, 100_000);
            yield return set(text.Length > 2 ? text[..^1] + ",null]" : "[null]", "the list with a null element appended", true);
            yield return set("[" + string.Join(',', Enumerable.Repeat(element, count)) + "]", $"{count:N0} copies of its first element", true);
            yield return set("[]", "an empty list", false);
        }
        else if (at.Node is JsonObject obj && at.Kind == "dictionary")
        {
            var first = obj.FirstOrDefault().Value?.ToJsonString() ?? "null";
            var inner = obj.ToJsonString()[1..^1];
            var prefix = inner.Length > 0 ? inner + "," : "";
            yield return set("{" + prefix + "\"p9\":" + first + "}", "an unknown key 'p9'", true);
            yield return set("{" + prefix + "\"funday\":" + first + "}", "an unknown key 'funday'", true);
            yield return set("{" + prefix + "\"a\\u0000b\":" + first + "}", "a key with a NUL character", true);
            yield return set("{" + string.Join(',', Enumerable.Range(0, 10_000).Select(i => $"\"k{i}\":" + first)) + "}", "10,000 unknown keys", true);
            yield return set("{}", "an empty object", false);
        }
        else if (at.Node is JsonObject)
        {
            yield return set("{}", "an object with no properties", false);
        }
    }

    private static IEnumerable<(string Raw, string Label)> WrongTypes(string kind) => kind switch
    {
        "bool" => [("\"true\"", "the string \"true\""), ("1", "a number"), ("{}", "an object"), ("[]", "a list")],
        "int" or "number" => [("\"twelve\"", "a string"), ("true", "a boolean"), ("{}", "an object"), ("[]", "a list")],
        "array" => [("\"x\"", "a string"), ("1", "a number"), ("true", "a boolean"), ("{}", "an object")],
        "object" or "dictionary" => [("\"x\"", "a string"), ("1", "a number"), ("true", "a boolean"), ("[]", "a list")],
        "any" => [("{}", "an object"), ("[]", "a list")],
        "enum" => [("12345", "a number outside the enum"), ("2", "a number for an enum"), ("true", "a boolean"), ("{}", "an object"), ("[]", "a list")],
        _ => [("12345", "a number"), ("true", "a boolean"), ("{}", "an object"), ("[]", "a list")],
    };

    /// <summary>Values of the right JSON type that are malformed or out of range: (raw JSON, label, surely invalid).</summary>
    private static IEnumerable<(string Raw, string Label, bool Surely)> Values(string kind)
    {
        static (string, string, bool) S(string text, string label, bool surely = true) => ($"\"{text}\"", label, surely);
        switch (kind)
        {
            case "int":
                return [("-1", "-1", true), ("0", "0", false), ("2147483648", "2147483648", true), ("-2147483649", "-2147483649", true), ("9223372036854775808", "9223372036854775808", true),
                    ("1e400", "1e400", true), ("1.5", "1.5", true)];
            case "number":
                return [("-1", "-1", true), ("0", "0", false), ("2147483648", "2147483648", false), ("9223372036854775808", "9223372036854775808", true), ("1e400", "1e400", true),
                    ("-1e400", "-1e400", true), ("1e-400", "1e-400", false), ("79228162514264337593543950336", "2^96", true), ("100.0000001", "100.0000001", false)];
            case "any":
                return [("-1", "-1", true), ("99999", "99999", true), ("\"abc-def\"", "'abc-def'", true), ("\"399-300\"", "a reversed range", true), ("\"\\u0000\"", "NUL", true)];
            case "instant":
                return [S("2026-02-30T00:00:00Z", "30 February"), S("2026-01-01T00:00:00", "no offset"), S("2026-01-01", "a date"), S("10000-01-01T00:00:00Z", "year 10000"),
                    S("9999-12-31T23:59:59-01:00", "past the end of time with an offset"), S("0001-01-01T00:00:00+01:00", "before year 1 with an offset"), S("-0001-01-01T00:00:00Z", "year -1"),
                    S("2026-01-01T00:00:00+25:00", "offset +25:00"), S("yesterday", "'yesterday'"), S("", "an empty string"), S("2026-01-01T00:00:00Z\\u0000", "NUL after it"),
                    S("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z", false), S("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z", false)];
            case "duration":
                return [S("P99999999999D", "P99999999999D"), S("P99999999999999999999999999999D", "P(10^29-1)D"), S("PT99999999999999999999999999999H", "PT(10^29-1)H"),
                    S("PT99999999999999999999.999999999999S", "PT1e20S"), S("P106751D", "P106751D (292 years)"), S("PT-1S", "PT-1S"), S("-PT1H", "-PT1H"), S("P1Y", "P1Y"), S("P1M", "P1M"), S("P1W", "P1W"),
                    S("PT", "PT"), S("P", "P"), S("1h", "'1h'"), S("PT1H30", "PT1H30"), S("", "an empty string"), S("PT1H\\u0000", "NUL after it"), S("PT0S", "PT0S", false)];
            case "date":
                return [S("2026-02-30", "30 February"), S("0000-01-01", "year 0"), S("10000-01-01", "year 10000"), S("2026-1-1", "2026-1-1"), S("20260101", "20260101"), S("", "an empty string"),
                    S("9999-12-31", "9999-12-31", false)];
            case "month":
                return [S("2026-13", "month 13"), S("2026-00", "month 0"), S("0000-01", "year 0"), S("10000-01", "year 10000"), S("2026-1", "2026-1"), S("", "an empty string"), S("9999-12", "9999-12", false)];
            case "time":
                return [S("25:00", "25:00"), S("09:60", "09:60"), S("24:01", "24:01"), S("-01:00", "-01:00"), S("9", "'9'"), S("09:00:00:00", "09:00:00:00"), S("", "an empty string"), S("09:00\\u0000", "NUL after it")];
            case "zone":
                return [S("Mars/Olympus", "an unknown zone"), S("UTC+25", "UTC+25"), S("../../../../etc/passwd", "a path"), S("Europe/Berlin\\u0000", "NUL after a zone"), S("", "an empty string"),
                    S(new string('a', 10_001), "10,001 characters")];
            case "url":
                return [S("not a url", "'not a url'"), S("ftp://127.0.0.1/x", "an ftp URL"), S("http://", "'http://'"), S("javascript:alert(1)", "a javascript: URL"), S("http://127.0.0.1:99999/x", "port 99999"),
                    S("http://[::1", "an unclosed IPv6 literal"), S("http://127.0.0.1/\\u0000", "NUL in the URL"), S("http://127.0.0.1/" + new string('a', 10_001), "10,001 characters"),
                    S("//127.0.0.1/x", "a scheme-relative URL"), S("http://user:pass@127.0.0.1/x", "credentials in the URL", false)];
            case "enum":
                return [S("nope", "'nope'"), S("99", "'99'"), S("-1", "'-1'"), S("", "an empty string"), S("p1\\u0000", "NUL after a value")];
            case "text":
                // Free text (a maintenance note, a resolution, evidence): line breaks are its content, other control characters are not.
                return [S("a\\u0000b", "a NUL character"), S("\\u001b[31mred", "an escape sequence"), S("\\u0007\\u0008\\u007f", "BEL, BS and DEL"),
                    S(TooLong, "10,001 characters"), S(new string('a', 1_000_000), "1,000,000 characters"), S("x\\r\\nline two", "CR LF", false)];
            case "string":
                return [S("a\\u0000b", "a NUL character"), S("\\u001b[31mred", "an escape sequence"), S("x\\r\\nSet-Cookie: fuzz=1", "CR LF and a header"), S("\\u0007\\u0008\\u007f", "BEL, BS and DEL"),
                    S(TooLong, "10,001 characters"), S(new string('a', 1_000_000), "1,000,000 characters"),
                    S("", "an empty string", false), S(" ", "a space", false), S("\\t\\n", "tab and newline", false), S("\\u202eevil", "a right-to-left override", false),
                    S("\\ud800", "a lone surrogate", false), S("<script>alert(1)</script>", "markup", false), S("ü𝄞", "non-ASCII", false)];
            default:
                return [];
        }
    }

    /// <summary>Intervals whose end is before their start: start/end, periodStart/periodEnd, start/until.</summary>
    private static IEnumerable<Mutation> ReversedIntervals(IReadOnlyList<Location> locations)
    {
        foreach (var obj in locations.Where(l => l.Node is JsonObject && l.Kind == "object"))
        {
            var fields = (JsonObject)obj.Node!;
            foreach (var (first, second) in new[] { ("start", "end"), ("periodStart", "periodEnd"), ("start", "until") })
            {
                var a = locations.FirstOrDefault(l => l.Path.Count == obj.Path.Count + 1 && l.Path.Take(obj.Path.Count).SequenceEqual(obj.Path) && Equals(l.Path[^1], first));
                var b = locations.FirstOrDefault(l => l.Path.Count == obj.Path.Count + 1 && l.Path.Take(obj.Path.Count).SequenceEqual(obj.Path) && Equals(l.Path[^1], second));
                if (a is { Kind: "instant", Node: not null } && b is { Kind: "instant", Node: not null })
                {
                    yield return new Mutation($"{obj.JsonPath}: {second} before {first}", [new Edit(a.Path, b.Node!.ToJsonString()), new Edit(b.Path, a.Node!.ToJsonString())], SurelyInvalid: true);
                }
            }
        }
    }

    private static bool Overlaps(IReadOnlyList<object> a, IReadOnlyList<object> b)
    {
        var common = Math.Min(a.Count, b.Count);
        return a.Take(common).SequenceEqual(b.Take(common));
    }

    /// <summary>The baseline with the edits made: raw JSON spliced in where each edit points (or the property removed).</summary>
    private static string Apply(JsonNode baseline, IReadOnlyList<Edit> edits)
    {
        if (edits.FirstOrDefault(e => e.Path.Count == 0) is { Raw: { } whole })
        {
            return whole;
        }

        var copy = baseline.DeepClone();
        for (var i = 0; i < edits.Count; i++)
        {
            var parent = edits[i].Path.Take(edits[i].Path.Count - 1).Aggregate<object, JsonNode?>(copy, (node, segment) => segment is int index ? node![index] : node![(string)segment]);
            var last = edits[i].Path[^1];
            if (edits[i].Raw is null)
            {
                ((JsonObject)parent!).Remove((string)last);
            }
            else if (last is int index)
            {
                parent![index] = JsonValue.Create($"__fuzz_{i}__");
            }
            else
            {
                parent![(string)last] = JsonValue.Create($"__fuzz_{i}__");
            }
        }

        var text = copy.ToJsonString();
        for (var i = 0; i < edits.Count; i++)
        {
            if (edits[i].Raw is { } raw)
            {
                text = text.Replace($"\"__fuzz_{i}__\"", raw, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>The URL with path and query values filled in; the value named <paramref name="escaped"/> is already escaped (an odd value as sent).</summary>
    private static string Url(ApiOperation operation, IReadOnlyDictionary<string, string> path, IReadOnlyDictionary<string, string> query, string? escaped = null)
    {
        var url = operation.Template.TrimStart('/');
        foreach (var (name, value) in path)
        {
            url = url.Replace($"{{{name}}}", name == escaped ? value : Uri.EscapeDataString(value), StringComparison.Ordinal);
        }

        if (query.Count > 0)
        {
            url += "?" + string.Join('&', query.Select(q => $"{q.Key}={(q.Key == escaped ? q.Value : Uri.EscapeDataString(q.Value))}"));
        }

        return url;
    }

    private static string Shorten(string text) => text.Length > 40 ? $"{text[..20]}…({text.Length} chars)" : text;
}
