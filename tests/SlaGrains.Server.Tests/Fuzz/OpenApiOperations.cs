using System.Text.Json;

namespace SlaGrains.Server.Tests.Fuzz;

/// <summary>One operation of the server's OpenAPI document: method, path template, parameters and body schema.</summary>
internal sealed record ApiOperation(string Method, string Template, IReadOnlyList<ApiParameter> Parameters, Schema? Body)
{
    public string Name => $"{Method} {Template}";

    public IEnumerable<ApiParameter> PathParameters => Parameters.Where(p => p.In == "path");

    public IEnumerable<ApiParameter> QueryParameters => Parameters.Where(p => p.In == "query");

    /// <summary>Reads every operation of the document.</summary>
    public static IReadOnlyList<ApiOperation> From(JsonDocument document)
    {
        var root = document.RootElement;
        var schemas = root.GetProperty("components").GetProperty("schemas");
        var operations = new List<ApiOperation>();
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var parameters = operation.Value.TryGetProperty("parameters", out var list)
                    ? list.EnumerateArray().Select(p => new ApiParameter(p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!, Schema.Resolve(schemas, p.GetProperty("schema")))).ToList()
                    : [];
                Schema? body = null;
                if (operation.Value.TryGetProperty("requestBody", out var requestBody)
                    && requestBody.GetProperty("content").TryGetProperty("application/json", out var json))
                {
                    body = Schema.Resolve(schemas, json.GetProperty("schema"));
                }

                operations.Add(new ApiOperation(operation.Name.ToUpperInvariant(), path.Name, parameters, body));
            }
        }

        return operations;
    }
}

internal sealed record ApiParameter(string Name, string In, Schema Schema);

/// <summary>
/// A JSON schema of the document with references and nullable <c>oneOf</c>s resolved: what kind of value it
/// describes (NodaTime values are named by their reference: <c>Instant</c>, <c>Duration</c>, ...).
/// </summary>
internal sealed class Schema
{
    private readonly JsonElement _schemas;
    private readonly JsonElement _node;

    private Schema(JsonElement schemas, JsonElement node, string? reference, bool nullable)
    {
        _schemas = schemas;
        _node = node;
        Reference = reference;
        Nullable = nullable || Types.Contains("null");
    }

    /// <summary>The name of the component schema it came from, if any.</summary>
    public string? Reference { get; }

    /// <summary>Whether <c>null</c> is a documented value.</summary>
    public bool Nullable { get; }

    public IReadOnlyList<string> Types => _node.ValueKind == JsonValueKind.Object && _node.TryGetProperty("type", out var type)
        ? type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)] : [type.GetString()!]
        : [];

    public IReadOnlyList<string>? Enum => _node.ValueKind == JsonValueKind.Object && _node.TryGetProperty("enum", out var values)
        ? [.. values.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
        : null;

    public IReadOnlyCollection<string> Required => _node.ValueKind == JsonValueKind.Object && _node.TryGetProperty("required", out var required)
        ? [.. required.EnumerateArray().Select(r => r.GetString()!)]
        : [];

    /// <summary>The schema of a property, or null when it is not declared.</summary>
    public Schema? Property(string name)
        => _node.ValueKind == JsonValueKind.Object && _node.TryGetProperty("properties", out var properties) && properties.TryGetProperty(name, out var property)
            ? Resolve(_schemas, property)
            : _node.ValueKind == JsonValueKind.Object && _node.TryGetProperty("additionalProperties", out var values) && values.ValueKind == JsonValueKind.Object
                ? Resolve(_schemas, values)
                : null;

    /// <summary>The schema of an array's elements, or null when it is not declared.</summary>
    public Schema? Items => _node.ValueKind == JsonValueKind.Object && _node.TryGetProperty("items", out var items) ? Resolve(_schemas, items) : null;

    public bool IsDictionary => _node.ValueKind == JsonValueKind.Object && _node.TryGetProperty("additionalProperties", out _);

    public static Schema Resolve(JsonElement schemas, JsonElement node, string? reference = null, bool nullable = false)
    {
        if (node.ValueKind == JsonValueKind.Object && node.TryGetProperty("$ref", out var target))
        {
            var name = target.GetString()!.Split('/')[^1];
            return Resolve(schemas, schemas.GetProperty(name), reference ?? name, nullable);
        }

        if (node.ValueKind == JsonValueKind.Object && (node.TryGetProperty("oneOf", out var choices) || node.TryGetProperty("anyOf", out choices)))
        {
            var isNull = (JsonElement c) => c.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null";
            var other = choices.EnumerateArray().FirstOrDefault(c => !isNull(c));
            return Resolve(schemas, other, reference, nullable || choices.EnumerateArray().Any(isNull));
        }

        return new Schema(schemas, node, reference, nullable);
    }
}
