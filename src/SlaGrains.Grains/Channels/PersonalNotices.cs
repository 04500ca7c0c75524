using System.Collections.Immutable;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Channels;
using SlaGrains.Domain.Notifications;

namespace SlaGrains.Grains.Channels;

/// <summary>A notice line to add to a person's digest, due at <paramref name="SendAt"/>.</summary>
/// <param name="DigestKey">The digest grain's key (<see cref="DigestKeys.Of"/>).</param>
/// <param name="SendAt">When the digest goes.</param>
/// <param name="Line">The line.</param>
public sealed record DigestEntry(string DigestKey, Instant SendAt, NoticeLine Line);

/// <summary>What routing a notice to people gives: messages for the outboxes and lines for digests.</summary>
public sealed record RoutedNotices(ImmutableArray<OutboundMessage> Messages, ImmutableArray<DigestEntry> DigestLines)
{
    /// <summary>Nothing to send.</summary>
    public static RoutedNotices None { get; } = new([], []);
}

/// <summary>
/// Every notice to a user goes through here: their preferences (<see cref="NoticeSettings.Effective"/>) and
/// <see cref="NoticeRouting.Plan"/> decide, per channel, whether it goes now, is held until their quiet hours end
/// (queued now with <see cref="OutboundMessage.NotBefore"/>, so the hold is durable), or becomes a line of their next
/// digest. Message ids are <c>{notice id}:{channel}:{user name}</c>, so the same notice routed again queues nothing twice.
/// </summary>
public static class PersonalNotices
{
    /// <summary>
    /// Routes one notice to <paramref name="users"/> (each once) at <paramref name="now"/> (pure). A user's zone is
    /// their working calendar's, else the zone they read times in, else UTC.
    /// </summary>
    /// <param name="noticeId">What makes the notice once (e.g. <c>esc:{escalation id}</c>); also the digest line's id.</param>
    /// <param name="kind">The kind of notice.</param>
    /// <param name="urgent">A P1 breach, a major outage: may go through quiet hours and never waits for a digest.</param>
    /// <param name="line">The notice as a digest line.</param>
    /// <param name="template">The template of a message sent on its own.</param>
    /// <param name="model">The model of that message for one user.</param>
    /// <param name="users">The people to tell.</param>
    /// <param name="now">Now, on the SLA clock.</param>
    public static RoutedNotices Route(
        string noticeId,
        NoticeKind kind,
        bool urgent,
        NoticeLine line,
        string template,
        Func<UserAccount, string> model,
        IEnumerable<UserAccount> users,
        Instant now)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(users);
        var messages = ImmutableArray.CreateBuilder<OutboundMessage>();
        var digests = ImmutableArray.CreateBuilder<DigestEntry>();
        foreach (var user in users.DistinctBy(u => UserNames.Key(u.UserName)))
        {
            var preferences = NoticeSettings.Effective(user);
            foreach (var plan in NoticeRouting.Plan(preferences, kind, urgent, now, ZoneOf(user)))
            {
                var channel = NoticeChannels.Kind(plan.Channel);
                if (NoticeChannels.Target(user, channel) is not { } target)
                {
                    continue;
                }

                if (plan.InDigest)
                {
                    digests.Add(new DigestEntry(DigestKeys.Of(channel, user.UserName), plan.SendAt, line.Bounded()));
                    continue;
                }

                var id = $"{noticeId}:{OutboxKeys.Of(channel)}:{UserNames.Key(user.UserName)}";
                messages.Add(new OutboundMessage(id, channel, target, template, model(user), line.CustomerId, NotBefore: plan.SendAt > now ? plan.SendAt : null));
            }
        }

        return new RoutedNotices(messages.ToImmutable(), digests.ToImmutable());
    }

    /// <summary>Routes a notice in its own <see cref="MessageTemplates.Notice"/> message (kinds without a template of their own).</summary>
    public static RoutedNotices Route(NoticeLine line, bool urgent, IEnumerable<UserAccount> users, Instant now)
    {
        ArgumentNullException.ThrowIfNull(line);
        return Route(line.LineId, line.Kind, urgent, line, MessageTemplates.Notice, u => MessageTemplates.Serialize(new NoticeModel(line.Bounded(), u.UserName)), users, now);
    }

    /// <summary>Queues the messages and adds the digest lines; returns how many messages were new.</summary>
    public static async Task<int> QueueAsync(this IGrainFactory grains, RoutedNotices routed)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(routed);
        var queued = routed.Messages.IsEmpty ? 0 : await grains.QueueAsync(routed.Messages);
        foreach (var entry in routed.DigestLines)
        {
            await grains.GetGrain<IDigestGrain>(entry.DigestKey).Add(entry.Line, entry.SendAt);
        }

        return queued;
    }

    /// <summary>
    /// Tells the users <paramref name="pick"/> chooses: routes <paramref name="line"/> through their preferences and
    /// queues it. Returns how many messages were new.
    /// </summary>
    public static async Task<int> TellAsync(IGrainFactory grains, NoticeLine line, bool urgent, Func<UserAccount, bool> pick, Instant now)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(pick);
        var users = await grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key).ListUsers();
        return await grains.QueueAsync(Route(line, urgent, users.Where(pick), now));
    }

    /// <summary>Staff who run the service: managers and admins.</summary>
    public static bool IsManagement(UserAccount user) => user?.Role is UserRole.Manager or UserRole.Admin;

    /// <summary>The zone a user's digests and quiet hours are reckoned in when their preferences give no calendar.</summary>
    public static DateTimeZone ZoneOf(UserAccount user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Notices?.WorkingHours?.Zone
            ?? (user.TimeZone is { } id ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) : null)
            ?? DateTimeZone.Utc;
    }
}
