using System.Collections.Immutable;

namespace SlaGrains.Contracts.Channels;

/// <summary>How a message reaches people.</summary>
public enum ChannelKind
{
    /// <summary>Email over the operator's SMTP relay (<c>Email:Smtp:*</c>); the target is an email address.</summary>
    Email,

    /// <summary>A Slack incoming webhook; the target is its URL (held to the outbound address rules).</summary>
    Slack,

    /// <summary>A Microsoft Teams workflow webhook; the target is its URL (held to the outbound address rules).</summary>
    Teams,
}

/// <summary>
/// One people-facing message to queue in the channel outbox (see <see cref="IOutboxGrain"/>): what to send to whom,
/// not yet rendered. The outbox renders it when it is attempted (so a template fix reaches messages still queued), with
/// the template named here and the model given as JSON.
/// </summary>
/// <param name="MessageId">
/// The idempotency key, unique across every channel: queueing a message whose id was queued before (pending,
/// delivered or dead) queues nothing, so a retried publish never sends twice. Derive it from what makes the message
/// once for people, e.g. <c>esc:{escalationId}:email:{userName}</c> or <c>incident-update:{updateId}:{subscriberId}</c>;
/// 1–300 printable characters.
/// </param>
/// <param name="Channel">The channel; every message queued through one <see cref="IOutboxGrain"/> has that grain's channel.</param>
/// <param name="Target">An email address for <see cref="ChannelKind.Email"/>; an absolute https/http URL for Slack and Teams
/// (checked against the outbound address rules when it was saved, and again when it is connected to). At most 2,000 characters.</param>
/// <param name="Template">The template's name (see <see cref="MessageTemplates"/>), which the host's <see cref="IMessageRenderer"/> knows.</param>
/// <param name="Model">The template's model as a JSON object (camelCase), at most 64 KiB.</param>
/// <param name="CustomerId">The customer the message concerns, if any (filters the delivery log); null for internal mail.</param>
/// <param name="Attachment">A file to attach to an email (ignored by Slack and Teams), at most 10 MiB; null for none.</param>
/// <param name="NotBefore">
/// The earliest its first attempt may be (a notice held for the recipient's quiet hours); null or a past instant sends
/// at once. Kept in the outbox row, so a held message survives restarts like any other.
/// </param>
[GenerateSerializer]
[Alias("slagrains.outbound-message")]
[Immutable]
public sealed record OutboundMessage(
    [property: Id(0)] string MessageId,
    [property: Id(1)] ChannelKind Channel,
    [property: Id(2)] string Target,
    [property: Id(3)] string Template,
    [property: Id(4)] string Model,
    [property: Id(5)] string? CustomerId,
    [property: Id(6)] MessageAttachment? Attachment = null,
    [property: Id(7)] Instant? NotBefore = null);

/// <summary>A file attached to an email.</summary>
/// <param name="FileName">The file name the reader sees, e.g. <c>sla-statement-2026-11.pdf</c>.</param>
/// <param name="ContentType">Its media type, e.g. <c>application/pdf</c>.</param>
/// <param name="Content">The bytes (at most <see cref="OutboxLimits.MaxAttachmentBytes"/>).</param>
[GenerateSerializer]
[Alias("slagrains.message-attachment")]
[Immutable]
public sealed record MessageAttachment(
    [property: Id(0)] string FileName,
    [property: Id(1)] string ContentType,
    [property: Id(2)] ImmutableArray<byte> Content);

/// <summary>The bounds the outbox holds every queued message to (checked by <see cref="OutboxLimits.Problem"/>).</summary>
public static class OutboxLimits
{
    /// <summary>Longest message id.</summary>
    public const int MaxMessageIdLength = 300;

    /// <summary>Longest target (address or URL).</summary>
    public const int MaxTargetLength = 2_000;

    /// <summary>Largest model, in UTF-16 characters.</summary>
    public const int MaxModelLength = 64 * 1024;

    /// <summary>Largest attachment, in bytes.</summary>
    public const int MaxAttachmentBytes = 10 * 1024 * 1024;

    /// <summary>Most messages one <see cref="IOutboxGrain.Queue"/> call takes.</summary>
    public const int MaxBatch = 20_000;

    /// <summary>What is wrong with <paramref name="message"/> for the outbox of <paramref name="channel"/>; null when it may be queued.</summary>
    public static string? Problem(OutboundMessage? message, ChannelKind channel)
    {
        if (message is null)
        {
            return "A message is missing.";
        }

        if (string.IsNullOrWhiteSpace(message.MessageId) || message.MessageId.Length > MaxMessageIdLength || message.MessageId.Any(char.IsControl))
        {
            return $"Message '{message.MessageId}': an id has 1–{MaxMessageIdLength} printable characters.";
        }

        if (message.Channel != channel)
        {
            return $"Message '{message.MessageId}' is for {message.Channel}, not {channel}.";
        }

        if (string.IsNullOrWhiteSpace(message.Target) || message.Target.Length > MaxTargetLength || message.Target.Any(char.IsControl))
        {
            return $"Message '{message.MessageId}': a target has 1–{MaxTargetLength} printable characters.";
        }

        if (string.IsNullOrWhiteSpace(message.Template) || message.Template.Length > 100)
        {
            return $"Message '{message.MessageId}': a template name has 1–100 characters.";
        }

        if (message.Model is null || message.Model.Length > MaxModelLength)
        {
            return $"Message '{message.MessageId}': the model is a JSON object of at most {MaxModelLength} characters.";
        }

        return message.Attachment is { } file && (file.Content.IsDefault || file.Content.Length > MaxAttachmentBytes || string.IsNullOrWhiteSpace(file.FileName))
            ? $"Message '{message.MessageId}': an attachment has a file name and at most {MaxAttachmentBytes:N0} bytes."
            : null;
    }
}
