using System.Collections.Immutable;
using System.Net;
using System.Text;
using System.Text.Json;
using SlaGrains.Contracts.Channels;

namespace SlaGrains.Grains.Channels;

/// <summary>
/// The renderer a silo uses when the host registers none (a silo without the web host, the grain tests): the template
/// name as the subject and the model's top-level values as facts, without links. The server registers the UI's Razor
/// templates instead.
/// </summary>
public sealed class PlainMessageRenderer : IMessageRenderer
{
    /// <inheritdoc />
    public Task<RenderedMessage> RenderAsync(OutboundMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var model = JsonDocument.Parse(message.Model);
        var facts = model.RootElement.ValueKind == JsonValueKind.Object
            ? model.RootElement.EnumerateObject().Where(p => p.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
                .Select(p => new MessageFact(p.Name, p.Value.ToString())).ToImmutableArray()
            : [];
        var subject = $"SlaGrains: {message.Template}";
        var text = new StringBuilder().AppendLine(subject);
        var html = new StringBuilder().Append("<h1>").Append(WebUtility.HtmlEncode(subject)).Append("</h1><dl>");
        foreach (var fact in facts)
        {
            text.Append(fact.Label).Append(": ").AppendLine(fact.Value);
            html.Append("<dt>").Append(WebUtility.HtmlEncode(fact.Label)).Append("</dt><dd>").Append(WebUtility.HtmlEncode(fact.Value)).Append("</dd>");
        }

        html.Append("</dl>");
        return Task.FromResult(new RenderedMessage(subject, html.ToString(), text.ToString(), new MessageCard(subject, message.Template, facts, null, null)));
    }
}
