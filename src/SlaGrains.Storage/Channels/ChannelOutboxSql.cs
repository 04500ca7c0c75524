using System.Collections.Immutable;
using System.Data;
using System.Data.Common;
using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Storage.ReadModels;

namespace SlaGrains.Storage.Channels;

/// <summary>
/// The statements of the channel outbox tables, the same text on SQLite and PostgreSQL (both bind <c>@name</c>):
/// <c>channel_messages</c> holds one row per message (state 0 pending, 1 delivered, 2 dead-lettered; instants in
/// nanoseconds since the Unix epoch), <c>channel_attempts</c> one row per attempt. Created by SQLite migration 7 and
/// PostgreSQL migration 8.
/// </summary>
internal static class ChannelOutboxSql
{
    /// <summary>The columns a message is read with, in <see cref="ReadRow"/>'s order.</summary>
    private const string RowColumns =
        "message_id, channel, target, template, model, customer_id, attachment_name, attachment_type, attachment, queued_at, attempts, attempts_this_round, next_attempt_at";

    /// <summary>The columns a view is read with, in <see cref="ReadView"/>'s order.</summary>
    private const string ViewColumns =
        "message_id, channel, target, template, customer_id, queued_at, state, attempts, next_attempt_at, last_outcome, delivered_at, attachment_name";

    /// <summary>One message, skipped when its id is known (SQLite; PostgreSQL inserts many at once with unnest).</summary>
    public const string Insert = """
        INSERT INTO channel_messages (message_id, channel, target, template, model, customer_id, attachment_name, attachment_type, attachment,
            queued_at, state, attempts, attempts_this_round, next_attempt_at, last_outcome, delivered_at, changed_at)
        VALUES (@id, @channel, @target, @template, @model, @customer, @attachment_name, @attachment_type, @attachment,
            @now, 0, 0, 0, @next, NULL, NULL, @now)
        ON CONFLICT (message_id) DO NOTHING
        """;

    /// <summary>Appends an attempt to the log.</summary>
    private const string InsertAttempt = """
        INSERT INTO channel_attempts (message_id, channel, target, template, customer_id, attempt, at, outcome, took, result)
        VALUES (@id, @channel, @target, @template, @customer, @attempt, @at, @outcome, @took, @result)
        """;

    /// <summary>Moves a pending message after an attempt (a message redelivered or recorded meanwhile is left alone).</summary>
    private const string UpdateAfterAttempt = """
        UPDATE channel_messages SET state = @state, attempts = @attempts, attempts_this_round = @round, next_attempt_at = @next,
            last_outcome = @outcome, delivered_at = @delivered, changed_at = @at
        WHERE message_id = @id AND state = 0
        """;

    /// <summary>A dead letter back to pending for a new round.</summary>
    public const string Redeliver = """
        UPDATE channel_messages SET state = 0, attempts_this_round = 0, next_attempt_at = @now, changed_at = @now
        WHERE message_id = @id AND state = 2
        """;

    public static SqlStatement InsertOne(OutboundMessage m, Instant now) => new(Insert,
    [
        new("@id", DbType.String, m.MessageId),
        new("@channel", DbType.Int32, (int)m.Channel),
        new("@target", DbType.String, m.Target.Trim()),
        new("@template", DbType.String, m.Template),
        new("@model", DbType.String, m.Model),
        new("@customer", DbType.String, m.CustomerId),
        new("@attachment_name", DbType.String, m.Attachment?.FileName),
        new("@attachment_type", DbType.String, m.Attachment?.ContentType),
        new("@attachment", DbType.Binary, m.Attachment is { } a ? a.Content.ToArray() : null),
        new("@now", DbType.Int64, ReadModelTime.Nanoseconds(now)),
        new("@next", DbType.Int64, ReadModelTime.Nanoseconds(FirstAttempt(m, now))),
    ]);

    /// <summary>When a message queued at <paramref name="now"/> is first due: now, or its <see cref="OutboundMessage.NotBefore"/> when later.</summary>
    public static Instant FirstAttempt(OutboundMessage m, Instant now) => m.NotBefore is { } held && held > now ? held : now;

    public static SqlStatement Due(ChannelKind channel, Instant now, int limit) => new(
        $"SELECT {RowColumns} FROM channel_messages WHERE channel = @channel AND state = 0 AND next_attempt_at <= @now ORDER BY next_attempt_at, message_id LIMIT @limit",
        [new("@channel", DbType.Int32, (int)channel), new("@now", DbType.Int64, ReadModelTime.Nanoseconds(now)), new("@limit", DbType.Int32, limit)]);

    public static SqlStatement NextDue(ChannelKind channel) => new(
        "SELECT MIN(next_attempt_at) FROM channel_messages WHERE channel = @channel AND state = 0",
        [new("@channel", DbType.Int32, (int)channel)]);

    public static SqlStatement Find(string messageId) => new(
        $"SELECT {ViewColumns} FROM channel_messages WHERE message_id = @id",
        [new("@id", DbType.String, messageId)]);

    public static SqlStatement RedeliverOne(string messageId, Instant now) => new(
        Redeliver,
        [new("@id", DbType.String, messageId), new("@now", DbType.Int64, ReadModelTime.Nanoseconds(now))]);

    public static SqlStatement List(OutboxState state, ChannelKind? channel, int limit)
    {
        var order = state == OutboxState.Pending ? "next_attempt_at, message_id" : "changed_at DESC, message_id DESC";
        var where = channel is null ? "state = @state" : "state = @state AND channel = @channel";
        return new($"SELECT {ViewColumns} FROM channel_messages WHERE {where} ORDER BY {order} LIMIT @limit",
        [
            new("@state", DbType.Int32, (int)state),
            new("@channel", DbType.Int32, (int)(channel ?? ChannelKind.Email)),
            new("@limit", DbType.Int32, limit),
        ]);
    }

    public static SqlStatement Attempts(long? before, int limit) => new(
        "SELECT attempt_id, message_id, channel, target, template, customer_id, attempt, at, outcome, took, result FROM channel_attempts "
        + "WHERE attempt_id < @before ORDER BY attempt_id DESC LIMIT @limit",
        [new("@before", DbType.Int64, before ?? long.MaxValue), new("@limit", DbType.Int32, limit)]);

    /// <summary>The two statements that record <paramref name="o"/>: the log row, then the message's move.</summary>
    public static IEnumerable<SqlStatement> Record(OutboxOutcome o)
    {
        var m = o.Row.Message;
        var attempts = o.Row.Attempts + 1;
        yield return new(InsertAttempt,
        [
            new("@id", DbType.String, m.MessageId),
            new("@channel", DbType.Int32, (int)m.Channel),
            new("@target", DbType.String, m.Target),
            new("@template", DbType.String, m.Template),
            new("@customer", DbType.String, m.CustomerId),
            new("@attempt", DbType.Int32, attempts),
            new("@at", DbType.Int64, ReadModelTime.Nanoseconds(o.At)),
            new("@outcome", DbType.String, o.Outcome),
            new("@took", DbType.Int64, ReadModelTime.Nanoseconds(o.Took)),
            new("@result", DbType.Int32, (int)o.Result),
        ]);
        yield return new(UpdateAfterAttempt,
        [
            new("@id", DbType.String, m.MessageId),
            new("@state", DbType.Int32, (int)o.Result),
            new("@attempts", DbType.Int32, attempts),
            new("@round", DbType.Int32, o.Row.AttemptsThisRound + 1),
            new("@next", DbType.Int64, ReadModelTime.Nanoseconds(o.Result == OutboxState.Pending ? o.NextAttemptAt : o.Row.NextAttemptAt)),
            new("@outcome", DbType.String, o.Outcome),
            new("@delivered", DbType.Int64, o.Result == OutboxState.Delivered ? (long?)ReadModelTime.Nanoseconds(o.At + o.Took) : null),
            new("@at", DbType.Int64, ReadModelTime.Nanoseconds(o.At + o.Took)),
        ]);
    }

    public static OutboxRow ReadRow(DbDataReader r)
    {
        MessageAttachment? attachment = null;
        if (!r.IsDBNull(6))
        {
            var bytes = r.IsDBNull(8) ? [] : (byte[])r.GetValue(8);
            attachment = new MessageAttachment(r.GetString(6), r.IsDBNull(7) ? "application/octet-stream" : r.GetString(7), ImmutableArray.Create(bytes));
        }

        var message = new OutboundMessage(r.GetString(0), (ChannelKind)r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), attachment);
        return new OutboxRow(message, ReadModelTime.Instant(r.GetInt64(9)), r.GetInt32(10), r.GetInt32(11), ReadModelTime.Instant(r.GetInt64(12)));
    }

    public static OutboxMessageView ReadView(DbDataReader r) => new(
        r.GetString(0),
        (ChannelKind)r.GetInt32(1),
        r.GetString(2),
        r.GetString(3),
        r.IsDBNull(4) ? null : r.GetString(4),
        ReadModelTime.Instant(r.GetInt64(5)),
        (OutboxState)r.GetInt32(6),
        r.GetInt32(7),
        ReadModelTime.Instant(r.GetInt64(8)),
        r.IsDBNull(9) ? null : r.GetString(9),
        r.IsDBNull(10) ? null : ReadModelTime.Instant(r.GetInt64(10)),
        r.IsDBNull(11) ? null : r.GetString(11));

    public static OutboxAttemptView ReadAttempt(DbDataReader r) => new(
        r.GetInt64(0),
        r.GetString(1),
        (ChannelKind)r.GetInt32(2),
        r.GetString(3),
        r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5),
        r.GetInt32(6),
        ReadModelTime.Instant(r.GetInt64(7)),
        r.GetString(8),
        ReadModelTime.Duration(r.GetInt64(9)),
        (OutboxState)r.GetInt32(10));

    /// <summary>A page from the rows read (one more than <paramref name="limit"/> asked for tells there is a next page).</summary>
    public static OutboxAttemptPage Page(List<OutboxAttemptView> rows, int limit)
        => rows.Count > limit
            ? new OutboxAttemptPage([.. rows.Take(limit)], rows[limit - 1].AttemptId)
            : new OutboxAttemptPage([.. rows], null);

    /// <summary>Checks a page size.</summary>
    public static void CheckLimit(int limit) => ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);

    /// <summary>The messages with each id once (the first of a repeated id wins), as one insert statement needs them.</summary>
    public static ImmutableArray<OutboundMessage> Distinct(IReadOnlyList<OutboundMessage> messages)
        => [.. messages.DistinctBy(m => m.MessageId, StringComparer.Ordinal)];
}
