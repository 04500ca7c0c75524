using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace SlaGrains.Application.OpenSlo;

/// <summary>A node of an uploaded document with the path that names it in a 400 (<c>documents[2].spec.objectives[0].target</c>).</summary>
internal readonly record struct YamlAt(YamlNode? Node, string Path)
{
    /// <summary>Whether nothing (or an explicit null) is there.</summary>
    public bool IsMissing => Node is null || (Node is YamlScalarNode { Value: null or "" or "~" or "null" } s && s.Style == ScalarStyle.Plain);

    /// <summary>The mapping, or null when this is not one.</summary>
    public YamlMappingNode? Map => Node as YamlMappingNode;

    /// <summary>The child <paramref name="key"/> of a mapping (missing when this is not a mapping or has no such key).</summary>
    public YamlAt this[string key]
    {
        get
        {
            var path = $"{Path}.{key}";
            if (Map is { } map)
            {
                foreach (var (k, v) in map.Children)
                {
                    if (k is YamlScalarNode { Value: { } name } && name == key)
                    {
                        return new YamlAt(v, path);
                    }
                }
            }

            return new YamlAt(null, path);
        }
    }

    /// <summary>The items of a sequence (none when this is missing or not a sequence).</summary>
    public IReadOnlyList<YamlAt> Items
    {
        get
        {
            var path = Path;
            return Node is YamlSequenceNode sequence ? [.. sequence.Children.Select((n, i) => new YamlAt(n, $"{path}[{i}]"))] : [];
        }
    }

    /// <summary>Whether this is a sequence.</summary>
    public bool IsSequence => Node is YamlSequenceNode;

    /// <summary>The scalar's text, or null when this is missing or not a scalar.</summary>
    public string? Text => IsMissing ? null : (Node as YamlScalarNode)?.Value;

    /// <summary>The scalar as a decimal, or null.</summary>
    public decimal? Number
        => Text is { } text && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>The scalar as a boolean (YAML 1.2 core: true/false), or null.</summary>
    public bool? Boolean => Text?.ToLowerInvariant() switch { "true" => true, "false" => false, _ => null };
}

/// <summary>Reading the uploaded YAML safely and writing documents back.</summary>
internal static class OpenSloYaml
{
    /// <summary>Most nesting one document may have (OpenSLO needs about 8).</summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// The documents of <paramref name="text"/>, or a message saying why it cannot be read (with line and column).
    /// Anchors and aliases are refused: OpenSLO does not use them and they let a small upload expand without bound.
    /// </summary>
    public static (IReadOnlyList<YamlNode> Documents, string? Problem) Read(string text, int maxDocuments)
    {
        try
        {
            var parser = new Parser(new StringReader(text));
            var depth = 0;
            var documents = 0;
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case AnchorAlias alias:
                        return ([], $"Line {alias.Start.Line}: anchors and aliases (*{alias.Value}) are not accepted; write the value out.");
                    case NodeEvent { Anchor.IsEmpty: false } anchored:
                        return ([], $"Line {anchored.Start.Line}: anchors (&{anchored.Anchor}) are not accepted; write the value out.");
                    case DocumentStart:
                        if (++documents > maxDocuments)
                        {
                            return ([], $"At most {maxDocuments} documents in one upload.");
                        }

                        break;
                    case MappingStart or SequenceStart:
                        if (++depth > MaxDepth)
                        {
                            return ([], $"Line {parser.Current.Start.Line}: documents nest at most {MaxDepth} levels.");
                        }

                        break;
                    case MappingEnd or SequenceEnd:
                        depth--;
                        break;
                }
            }

            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return ([.. stream.Documents.Select(d => d.RootNode).Where(n => !(n is YamlScalarNode { Value: null or "" }))], null);
        }
        catch (YamlException error)
        {
            var reason = (error.InnerException?.Message ?? error.Message).Split(Environment.NewLine)[0];
            return ([], $"Not YAML at line {error.Start.Line}, column {error.Start.Column}: {Bounds.Echo(reason, 200)}");
        }
    }

    /// <summary>Writes documents as one multi-document YAML stream.</summary>
    public static string Write(IEnumerable<object> documents)
    {
        var serializer = new SerializerBuilder().DisableAliases().Build();
        var text = new StringBuilder();
        foreach (var document in documents)
        {
            text.Append("---\n").Append(serializer.Serialize(document).Replace("\r\n", "\n", StringComparison.Ordinal));
        }

        return text.ToString();
    }

    /// <summary>A decimal without trailing zeros (99.900 → 99.9), so stored and written figures read the same.</summary>
    public static decimal Normal(decimal value) => value / 1.000000000000000000000000000000000m;
}
