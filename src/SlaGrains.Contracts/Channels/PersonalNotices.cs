using System.Collections.Immutable;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Domain.Notifications;

namespace SlaGrains.Contracts.Channels;

/// <summary>
/// One notice as a line people read: in a digest (one line each), or alone in a <see cref="MessageTemplates.Notice"/>
/// message. Its <see cref="LineId"/> makes it once: the same notice handed over again is not listed twice.
/// </summary>
/// <param name="LineId">What makes the notice once, e.g. <c>esc:{escalation id}</c> or <c>incident-update:{id}</c>; at most 300 characters.</param>
/// <param name="Kind">What kind of notice it is.</param>
/// <param name="At">When it happened.</param>
/// <param name="Title">One line saying what happened (at most <see cref="MaxTitleLength"/> characters).</param>
/// <param name="Summary">A sentence more, or empty (at most <see cref="MaxSummaryLength"/> characters).</param>
/// <param name="LinkPath">Where to look, relative to the app's public URL (e.g. <c>tickets/T-1</c>); null for none.</param>
/// <param name="CustomerId">The customer it concerns, if any.</param>
[GenerateSerializer]
[Alias("slagrains.notice-line")]
[Immutable]
public sealed record NoticeLine(
    [property: Id(0)] string LineId,
    [property: Id(1)] NoticeKind Kind,
    [property: Id(2)] Instant At,
    [property: Id(3)] string Title,
    [property: Id(4)] string Summary,
    [property: Id(5)] string? LinkPath,
    [property: Id(6)] string? CustomerId)
{
    /// <summary>Longest title kept.</summary>
    public const int MaxTitleLength = 200;

    /// <summary>Longest summary kept.</summary>
    public const int MaxSummaryLength = 500;

    /// <summary>This line with its texts cut to their bounds (a customer's long subject must not outgrow a digest).</summary>
    public NoticeLine Bounded() => this with { Title = Cut(Title, MaxTitleLength), Summary = Cut(Summary ?? string.Empty, MaxSummaryLength) };

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}

/// <summary>The model of <see cref="MessageTemplates.Notice"/>: one notice to one person.</summary>
/// <param name="Line">The notice.</param>
/// <param name="Recipient">The user it is addressed to.</param>
public sealed record NoticeModel(NoticeLine Line, string Recipient);

/// <summary>The model of <see cref="MessageTemplates.Digest"/>: the notices collected for one person and channel.</summary>
/// <param name="Recipient">The user it is addressed to.</param>
/// <param name="SendAt">When the digest was due.</param>
/// <param name="Lines">The notices, oldest first.</param>
/// <param name="More">How many more were collected than the digest lists (the oldest are listed).</param>
public sealed record DigestModel(string Recipient, Instant SendAt, ImmutableArray<NoticeLine> Lines, int More);

/// <summary>
/// The digest of one person on one channel (key <see cref="DigestKeys.Of"/>, e.g. <c>email:morgan.lee</c>): notices
/// their preferences send as an hourly or daily digest are collected here, durably, and when a digest is due (an
/// Orleans reminder, time from the SLA clock) it is queued in the channel outbox as ONE message, with the id
/// <c>digest:{key}:{due time}</c>, so a retry never sends it twice.
/// </summary>
public interface IDigestGrain : IGrainWithStringKey
{
    /// <summary>Most lines one digest lists (more are counted, not listed).</summary>
    const int MaxLines = 100;

    /// <summary>Adds <paramref name="line"/> to the digest due at <paramref name="sendAt"/>; a line whose id it has (pending or recently sent) is skipped.</summary>
    Task Add(NoticeLine line, Instant sendAt);

    /// <summary>The digests waiting: due time and lines.</summary>
    Task<ImmutableArray<PendingDigest>> Pending();

    /// <summary>Queues the digests that are due now (the reminder does this on its own; a start-up or a test's nudge).</summary>
    Task Wake();
}

/// <summary>A digest waiting to be sent.</summary>
[GenerateSerializer]
[Alias("slagrains.pending-digest")]
[Immutable]
public sealed record PendingDigest(
    [property: Id(0)] Instant SendAt,
    [property: Id(1)] ImmutableArray<NoticeLine> Lines);

/// <summary>The keys of the digest grains.</summary>
public static class DigestKeys
{
    /// <summary>The key of <paramref name="userName"/>'s digest on <paramref name="channel"/>: <c>{email|slack|teams}:{user name, lower case}</c>.</summary>
    public static string Of(ChannelKind channel, string userName) => $"{OutboxKeys.Of(channel)}:{UserNames.Key(userName)}";

    /// <summary>The channel and user name a key names; null for a malformed key.</summary>
    public static (ChannelKind Channel, string UserName)? Parse(string key)
    {
        var colon = key?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon > 0 && OutboxKeys.ChannelOf(key![..colon]) is { } channel && colon < key.Length - 1 ? (channel, key[(colon + 1)..]) : null;
    }
}

/// <summary>The outbox channel of a notice channel.</summary>
public static class NoticeChannels
{
    /// <summary>The outbox channel <paramref name="channel"/> is sent on.</summary>
    public static ChannelKind Kind(NoticeChannel channel) => channel switch
    {
        NoticeChannel.Slack => ChannelKind.Slack,
        NoticeChannel.Teams => ChannelKind.Teams,
        _ => ChannelKind.Email,
    };

    /// <summary>Where <paramref name="user"/> is reached on <paramref name="channel"/>: their address or their webhook; null when nowhere.</summary>
    public static string? Target(UserAccount user, ChannelKind channel)
    {
        ArgumentNullException.ThrowIfNull(user);
        var target = channel switch
        {
            ChannelKind.Email => user.Email,
            ChannelKind.Slack => user.Notices?.SlackUrl,
            ChannelKind.Teams => user.Notices?.TeamsUrl,
            _ => null,
        };
        return string.IsNullOrWhiteSpace(target) ? null : target.Trim();
    }
}
