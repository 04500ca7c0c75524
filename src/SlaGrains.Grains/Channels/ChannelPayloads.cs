using System.Text.Json.Nodes;
using SlaGrains.Contracts.Channels;

namespace SlaGrains.Grains.Channels;

/// <summary>
/// The JSON bodies Slack and Teams webhooks take, built from a <see cref="MessageCard"/>.
/// </summary>
/// <remarks>
/// Slack incoming webhooks take a message with <c>text</c> (the notification's fallback) and Block Kit <c>blocks</c>: a
/// <c>header</c> (plain text, at most 150 characters), a <c>section</c> with <c>text</c> and up to 10 <c>fields</c>
/// (mrkdwn, at most 2,000 characters each), and an <c>actions</c> block with a link <c>button</c> (<c>url</c>; the
/// button's text plain, at most 75 characters). Teams workflow webhooks ("When a Teams webhook request is received")
/// take a <c>message</c> whose <c>attachments</c> hold one <c>application/vnd.microsoft.card.adaptive</c> card
/// (<c>contentUrl</c> null, <c>content</c> an <c>AdaptiveCard</c> of version 1.4 with a <c>TextBlock</c> title, a
/// <c>TextBlock</c> summary, a <c>FactSet</c> and an <c>Action.OpenUrl</c>).
/// </remarks>
public static class ChannelPayloads
{
    /// <summary>The Slack Block Kit message for <paramref name="card"/>.</summary>
    public static string Slack(MessageCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var blocks = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "header",
                ["text"] = PlainText(Cut(card.Title, 150)),
            },
        };
        var section = new JsonObject
        {
            ["type"] = "section",
            ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Cut(Escape(card.Summary), 3_000) },
        };
        if (!card.Facts.IsDefaultOrEmpty)
        {
            section["fields"] = new JsonArray([.. card.Facts.Take(10).Select(f => (JsonNode)new JsonObject
            {
                ["type"] = "mrkdwn",
                ["text"] = Cut($"*{Escape(f.Label)}*\n{Escape(f.Value)}", 2_000),
            })]);
        }

        blocks.Add(section);
        if (card is { LinkText: { } text, LinkUrl: { } url })
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["elements"] = new JsonArray(new JsonObject
                {
                    ["type"] = "button",
                    ["text"] = PlainText(Cut(text, 75)),
                    ["url"] = url,
                }),
            });
        }

        return new JsonObject { ["text"] = Cut(card.Title, 3_000), ["blocks"] = blocks }.ToJsonString();
    }

    /// <summary>The Teams workflow message (one Adaptive Card attachment) for <paramref name="card"/>.</summary>
    public static string Teams(MessageCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = card.Title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
            new JsonObject { ["type"] = "TextBlock", ["text"] = card.Summary, ["wrap"] = true },
        };
        if (!card.Facts.IsDefaultOrEmpty)
        {
            body.Add(new JsonObject
            {
                ["type"] = "FactSet",
                ["facts"] = new JsonArray([.. card.Facts.Select(f => (JsonNode)new JsonObject { ["title"] = f.Label, ["value"] = f.Value })]),
            });
        }

        var content = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = body,
        };
        if (card is { LinkText: { } text, LinkUrl: { } url })
        {
            content["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = text, ["url"] = url });
        }

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = "application/vnd.microsoft.card.adaptive",
                ["contentUrl"] = null,
                ["content"] = content,
            }),
        }.ToJsonString();
    }

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };

    /// <summary>Slack's mrkdwn escapes: &amp;, &lt; and &gt; (so a subject cannot ping a channel or fake a link).</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Cut(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}
