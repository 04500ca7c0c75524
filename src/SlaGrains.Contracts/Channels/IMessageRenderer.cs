using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SlaGrains.Contracts.Channels;

/// <summary>
/// Turns a queued message into what its channel sends: an email's subject, HTML and plain-text parts, and a card
/// (title, facts, one link) for Slack and Teams. The server registers the UI's Razor templates (rendered with
/// <c>HtmlRenderer</c>, links absolute from <c>App:PublicUrl</c>); a silo without one falls back to a plain rendering.
/// </summary>
public interface IMessageRenderer
{
    /// <summary>Renders <paramref name="message"/>; throws for an unknown template or a model that does not fit it (the attempt then fails as <c>renderFailed</c>).</summary>
    Task<RenderedMessage> RenderAsync(OutboundMessage message, CancellationToken cancellationToken = default);
}

/// <summary>A rendered message.</summary>
/// <param name="Subject">The email subject (one line).</param>
/// <param name="Html">The HTML part.</param>
/// <param name="Text">The plain-text part.</param>
/// <param name="Card">The same for Slack and Teams.</param>
/// <param name="UnsubscribeUrl">For mail a reader can stop (subscriber and customer mail): the one-click unsubscribe URL
/// (signed, see <see cref="SignedTokens"/>), sent as <c>List-Unsubscribe</c> with <c>List-Unsubscribe-Post</c> (RFC 8058),
/// so the mail program's own button works; null for mail a person gets for their job.</param>
public sealed record RenderedMessage(string Subject, string Html, string Text, MessageCard Card, string? UnsubscribeUrl = null);

/// <summary>A short card: a title, a sentence, label/value facts and a link (Slack Block Kit, Teams Adaptive Card).</summary>
/// <param name="Title">The header (Slack cuts headers at 150 characters).</param>
/// <param name="Summary">One sentence under it.</param>
/// <param name="Facts">Label and value pairs (Slack shows at most 10).</param>
/// <param name="LinkText">The button's text; null for no button.</param>
/// <param name="LinkUrl">The button's absolute URL; null for no button.</param>
public sealed record MessageCard(string Title, string Summary, ImmutableArray<MessageFact> Facts, string? LinkText, string? LinkUrl);

/// <summary>One label and value on a card.</summary>
public sealed record MessageFact(string Label, string Value);

/// <summary>The templates the host's renderer knows, and their models.</summary>
/// <remarks>
/// To add one (customer mail, a subscriber confirmation, an incident update): a name here, its model as a record here
/// (serialized with <see cref="Serialize"/>), an HTML and a plain-text Razor component in <c>ui/SlaGrains.Ui/Mail/</c>, and
/// a case in <c>MailRenderer</c> that renders them and builds the card; then queue
/// <c>new OutboundMessage(id, channel, target, MessageTemplates.X, MessageTemplates.Serialize(model), customerId)</c>
/// through <see cref="OutboxQueueing.QueueAsync"/>.
/// </remarks>
public static class MessageTemplates
{
    /// <summary>An escalation was raised (a warning or breach matched a rule, or the default breach notice); model <see cref="EscalationNoticeModel"/>.</summary>
    public const string EscalationRaised = "escalation.raised";

    /// <summary>One notice to one person (a burn-rate alert, an incident update, maintenance, a credit notice); model <see cref="NoticeModel"/>.</summary>
    public const string Notice = "notice";

    /// <summary>The notices collected for one person (an hourly or daily digest); model <see cref="DigestModel"/>.</summary>
    public const string Digest = "digest";

    /// <summary>The JSON conventions of every model: camelCase, enums as camelCase strings, instants as ISO text.</summary>
    public static JsonSerializerOptions Json { get; } = CreateJson();

    /// <summary>The model as JSON.</summary>
    public static string Serialize<T>(T model) => JsonSerializer.Serialize(model, Json);

    /// <summary>The model read back; throws <see cref="JsonException"/> when it does not fit.</summary>
    public static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Json) ?? throw new JsonException("The model is null.");

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new InstantText());
        return options;
    }

    /// <summary>An instant as ISO-8601 UTC text (<c>2026-12-06T07:00:00Z</c>).</summary>
    private sealed class InstantText : JsonConverter<Instant>
    {
        public override Instant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => NodaTime.Text.InstantPattern.ExtendedIso.Parse(reader.GetString() ?? string.Empty).GetValueOrThrow();

        public override void Write(Utf8JsonWriter writer, Instant value, JsonSerializerOptions options)
            => writer.WriteStringValue(NodaTime.Text.InstantPattern.ExtendedIso.Format(value));
    }
}

/// <summary>The model of <see cref="MessageTemplates.EscalationRaised"/>.</summary>
/// <param name="EscalationId">The escalation (its de-duplication key).</param>
/// <param name="TicketId">The ticket; the mail links to <c>{App:PublicUrl}/tickets/{id}</c>.</param>
/// <param name="CustomerId">The ticket's customer.</param>
/// <param name="Subject">The ticket's subject, when known.</param>
/// <param name="Metric">The clock: <c>firstResponse</c>, <c>resolution</c> or <c>nextReply</c>.</param>
/// <param name="Percent">The threshold crossed, in percent of the target; 100 is the breach.</param>
/// <param name="Priority">The ticket's priority (<c>P1</c>–<c>P4</c>).</param>
/// <param name="DueAt">When the threshold fell due.</param>
/// <param name="RaisedAt">When the escalation was raised.</param>
/// <param name="Recipient">Whom it is addressed to (a user name), or null for a channel.</param>
/// <param name="Actions">What the matched rules do, in words.</param>
public sealed record EscalationNoticeModel(
    string EscalationId,
    string TicketId,
    string CustomerId,
    string? Subject,
    string Metric,
    int Percent,
    string Priority,
    Instant DueAt,
    Instant RaisedAt,
    string? Recipient,
    ImmutableArray<string> Actions);
