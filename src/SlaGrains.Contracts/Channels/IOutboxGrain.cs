using System.Collections.Immutable;
using Orleans.Concurrency;

namespace SlaGrains.Contracts.Channels;

/// <summary>
/// The durable outbox of one channel (key: <see cref="OutboxKeys.Of"/>, e.g. <c>email</c>): people-facing messages — escalation
/// mail, customer mail, subscriber confirmations, incident updates — are queued here and delivered with retries.
/// </summary>
/// <remarks>
/// <para><b>Queueing.</b> <see cref="Queue"/> inserts every message as a row of the <c>channel_messages</c> table of the
/// configured store (the SQLite file, or the cluster's PostgreSQL) in one transaction before it returns, so a
/// returned call means the messages are durable. It is idempotent by <see cref="OutboundMessage.MessageId"/>: a message
/// whose id is known already (pending, delivered or dead) is skipped, so a publisher that retries — after a timeout,
/// a reactivation, a silo failure — never sends anything twice. Queue many messages in one call (up to
/// <see cref="OutboxLimits.MaxBatch"/>): 10,000 subscribers are one call and one insert. Use
/// <see cref="OutboxQueueing.QueueAsync"/> to queue messages of several channels at once.</para>
/// <para><b>Delivery.</b> This grain attempts due messages on a grain timer, several in parallel (emails over reused
/// SMTP connections), with an Orleans reminder as the durable backstop while anything is pending; every attempt is a
/// row of <c>channel_attempts</c> (the delivery log). A failure is retried with exponential back-off
/// (<c>Channels:FirstRetryDelay</c>, default 10 s, doubling up to <c>Channels:MaxRetryDelay</c>, default 1 h); after
/// <c>Channels:MaxAttempts</c> (default 8) it is dead-lettered; a permanent refusal (an SMTP 5xx for the recipient,
/// email not configured) is dead-lettered at once. A dead letter can be redelivered.</para>
/// <para><b>Rendering.</b> A message is rendered when it is attempted, by the host's <see cref="IMessageRenderer"/>
/// (Razor components in the UI project), from its template name and JSON model.</para>
/// </remarks>
public interface IOutboxGrain : IGrainWithStringKey
{
    /// <summary>
    /// Queues <paramref name="messages"/> (all of this grain's channel, each within <see cref="OutboxLimits"/>),
    /// durably, skipping ids queued before; the first attempt follows at once. Returns how many were new.
    /// </summary>
    /// <remarks>Interleaves with a delivery turn in progress (a slow relay never holds a publisher up).</remarks>
    /// <exception cref="ArgumentException">A message is out of bounds or of another channel; nothing is queued.</exception>
    [AlwaysInterleave]
    Task<int> Queue(ImmutableArray<OutboundMessage> messages);

    /// <summary>Queues a dead letter for a new round of attempts, starting now; null when <paramref name="messageId"/> is no dead letter of this channel.</summary>
    [AlwaysInterleave]
    Task<OutboxMessageView?> Redeliver(string messageId);

    /// <summary>Attempts what is due now (a start-up or a test's nudge; the timer does this on its own).</summary>
    Task Wake();

    /// <summary>
    /// Up to <paramref name="limit"/> (1–500) messages of every channel in <paramref name="state"/>: pending ones by next
    /// attempt, others newest first. Any outbox answers for all channels.
    /// </summary>
    [AlwaysInterleave]
    Task<ImmutableArray<OutboxMessageView>> List(OutboxState state, int limit);

    /// <summary>The delivery log of every channel, newest first: up to <paramref name="limit"/> (1–500) attempts older than <paramref name="before"/>.</summary>
    [AlwaysInterleave]
    Task<OutboxAttemptPage> Attempts(long? before, int limit);
}

/// <summary>The grain keys of the channel outboxes.</summary>
public static class OutboxKeys
{
    /// <summary>The grain key of <paramref name="channel"/>'s outbox: <c>email</c>, <c>slack</c> or <c>teams</c>.</summary>
    public static string Of(ChannelKind channel) => channel switch
    {
        ChannelKind.Email => "email",
        ChannelKind.Slack => "slack",
        ChannelKind.Teams => "teams",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown channel."),
    };

    /// <summary>The channel a grain key names; null for an unknown key.</summary>
    public static ChannelKind? ChannelOf(string key) => key switch
    {
        "email" => ChannelKind.Email,
        "slack" => ChannelKind.Slack,
        "teams" => ChannelKind.Teams,
        _ => null,
    };
}

/// <summary>Queues messages of any channels through their outboxes.</summary>
public static class OutboxQueueing
{
    /// <summary>
    /// Queues <paramref name="messages"/>, each channel's through its <see cref="IOutboxGrain"/> (one call per channel);
    /// idempotent by message id. Returns how many were new.
    /// </summary>
    public static async Task<int> QueueAsync(this IGrainFactory grains, IEnumerable<OutboundMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(messages);
        var queued = 0;
        foreach (var channel in messages.GroupBy(m => m.Channel))
        {
            queued += await grains.GetGrain<IOutboxGrain>(OutboxKeys.Of(channel.Key)).Queue([.. channel]);
        }

        return queued;
    }
}

/// <summary>Where a queued message is.</summary>
public enum OutboxState
{
    /// <summary>Waiting for its next attempt.</summary>
    Pending,

    /// <summary>Accepted by the receiver (the SMTP relay, Slack, Teams).</summary>
    Delivered,

    /// <summary>Every attempt of its round failed, or the receiver refused it for good; it can be redelivered.</summary>
    DeadLettered,
}

/// <summary>A queued message as staff see it (no model, no attachment bytes).</summary>
[GenerateSerializer]
[Alias("slagrains.outbox-message-view")]
[Immutable]
public sealed record OutboxMessageView(
    [property: Id(0)] string MessageId,
    [property: Id(1)] ChannelKind Channel,
    [property: Id(2)] string Target,
    [property: Id(3)] string Template,
    [property: Id(4)] string? CustomerId,
    [property: Id(5)] Instant QueuedAt,
    [property: Id(6)] OutboxState State,
    [property: Id(7)] int Attempts,
    [property: Id(8)] Instant NextAttemptAt,
    [property: Id(9)] string? LastOutcome,
    [property: Id(10)] Instant? DeliveredAt,
    [property: Id(11)] string? AttachmentName);

/// <summary>One attempt to deliver a message, as the delivery log keeps it.</summary>
/// <param name="AttemptId">Increasing with time; the keyset cursor of <see cref="OutboxAttemptPage"/>.</param>
/// <param name="MessageId">The message.</param>
/// <param name="Channel">Its channel.</param>
/// <param name="Target">Its target.</param>
/// <param name="Template">Its template.</param>
/// <param name="CustomerId">The customer it concerns, if any.</param>
/// <param name="Attempt">1 for the first attempt, counting across redeliveries.</param>
/// <param name="At">When the attempt started.</param>
/// <param name="Outcome">
/// <c>delivered</c>, or why not: <c>emailOff</c> (no <c>Email:Smtp:Host</c>), <c>timeout</c>, <c>connectionFailed</c>,
/// <c>tlsError</c>, <c>authenticationFailed</c>, <c>refusedAddress</c>, <c>rejected: 550 …</c> (the relay's answer),
/// <c>HTTP 503</c>, <c>renderFailed</c>.
/// </param>
/// <param name="Took">How long the attempt took.</param>
/// <param name="Result">Where it left the message.</param>
[GenerateSerializer]
[Alias("slagrains.outbox-attempt")]
[Immutable]
public sealed record OutboxAttemptView(
    [property: Id(0)] long AttemptId,
    [property: Id(1)] string MessageId,
    [property: Id(2)] ChannelKind Channel,
    [property: Id(3)] string Target,
    [property: Id(4)] string Template,
    [property: Id(5)] string? CustomerId,
    [property: Id(6)] int Attempt,
    [property: Id(7)] Instant At,
    [property: Id(8)] string Outcome,
    [property: Id(9)] Duration Took,
    [property: Id(10)] OutboxState Result);

/// <summary>A page of the delivery log, newest first; <see cref="Before"/> fetches the next (older) page, null at the end.</summary>
[GenerateSerializer]
[Alias("slagrains.outbox-attempt-page")]
[Immutable]
public sealed record OutboxAttemptPage(
    [property: Id(0)] ImmutableArray<OutboxAttemptView> Items,
    [property: Id(1)] long? Before);
