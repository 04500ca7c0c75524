namespace SlaGrains.Contracts.Channels;

/// <summary>
/// The outbox tables of the configured store: <c>channel_messages</c> (one row per queued message, keyed by its id) and
/// <c>channel_attempts</c> (the delivery log). Only the channel outboxes (<see cref="IOutboxGrain"/>) write them; the
/// same behaviours hold on SQLite and PostgreSQL (one conformance suite).
/// </summary>
public interface IChannelOutboxStore
{
    /// <summary>
    /// Inserts <paramref name="messages"/> as pending, due at <paramref name="now"/> (or at a message's
    /// <see cref="OutboundMessage.NotBefore"/> when that is later), in one transaction; a message whose id is in the
    /// table already is skipped (whatever its state). Returns how many rows were inserted.
    /// </summary>
    Task<int> QueueAsync(IReadOnlyList<OutboundMessage> messages, Instant now, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> pending messages of <paramref name="channel"/> due at or before <paramref name="now"/>, earliest due first.</summary>
    Task<IReadOnlyList<OutboxRow>> DueAsync(ChannelKind channel, Instant now, int limit, CancellationToken cancellationToken = default);

    /// <summary>When the earliest pending message of <paramref name="channel"/> is due; null when none is pending.</summary>
    Task<Instant?> NextDueAsync(ChannelKind channel, CancellationToken cancellationToken = default);

    /// <summary>Records attempts: each appends a log row and moves its message to the state given, in one transaction.</summary>
    Task RecordAsync(IReadOnlyList<OutboxOutcome> outcomes, CancellationToken cancellationToken = default);

    /// <summary>Moves a dead letter back to pending (a new round of attempts, due at <paramref name="now"/>); null when it is no dead letter.</summary>
    Task<OutboxMessageView?> RedeliverAsync(string messageId, Instant now, CancellationToken cancellationToken = default);

    /// <summary>The message, or null.</summary>
    Task<OutboxMessageView?> FindAsync(string messageId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> messages in <paramref name="state"/>, of <paramref name="channel"/> when given: pending
    /// ones by next attempt, others newest first.
    /// </summary>
    Task<IReadOnlyList<OutboxMessageView>> ListAsync(OutboxState state, ChannelKind? channel, int limit, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> attempts older than <paramref name="before"/> (an attempt id; null: the newest), newest first.</summary>
    Task<OutboxAttemptPage> AttemptsAsync(long? before, int limit, CancellationToken cancellationToken = default);
}

/// <summary>A pending message as the outbox attempts it.</summary>
/// <param name="Message">What to send.</param>
/// <param name="QueuedAt">When it was queued.</param>
/// <param name="Attempts">Attempts so far, across redeliveries.</param>
/// <param name="AttemptsThisRound">Attempts since it was queued or last redelivered.</param>
/// <param name="NextAttemptAt">When it is due.</param>
public sealed record OutboxRow(OutboundMessage Message, Instant QueuedAt, int Attempts, int AttemptsThisRound, Instant NextAttemptAt);

/// <summary>One attempt's outcome to record.</summary>
/// <param name="Row">The message as attempted.</param>
/// <param name="At">When the attempt started.</param>
/// <param name="Outcome">The outcome class (see <see cref="OutboxAttemptView.Outcome"/>).</param>
/// <param name="Took">How long it took.</param>
/// <param name="Result">Where it leaves the message.</param>
/// <param name="NextAttemptAt">When a message left pending is due again (ignored otherwise).</param>
public sealed record OutboxOutcome(OutboxRow Row, Instant At, string Outcome, Duration Took, OutboxState Result, Instant NextAttemptAt);
