using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Grains.Webhooks;

namespace SlaGrains.Grains.Channels;

/// <summary>
/// One channel's outbox (see <see cref="IOutboxGrain"/>): queued messages are rows of the store's <c>channel_messages</c>
/// table, written before <see cref="Queue"/> returns; this grain attempts the due ones on a grain timer (precise while
/// active), <see cref="ChannelOptions.BatchSize"/> per turn and <see cref="ChannelOptions.Parallelism"/> at once, with an
/// Orleans reminder as the durable backstop while anything is pending. Each attempt is a row of <c>channel_attempts</c>;
/// a failure is retried with exponential back-off, the last one (or a permanent refusal) dead-letters the message.
/// </summary>
/// <remarks>
/// Attempts run inside the timer's turn (not interleaved with another), so one message is never attempted twice at
/// once; queueing and redelivery interleave with it (they only write rows and re-arm), and a message queued during a
/// turn makes the next turn start at once. The grain keeps no state of its own: the table is the queue, so the grain can move between
/// silos freely and comes back to whatever is pending. A crash between a send and its record sends that message again
/// (at least once); emails carry a Message-Id derived from the message id, so a receiving system can drop the repeat.
/// </remarks>
public sealed partial class OutboxGrain(
    [FromKeyedServices(SlaTime.Key)] TimeProvider time,
    IChannelOutboxStore store,
    IMessageRenderer renderer,
    SmtpSender smtp,
    WebhookHttp http,
    IOptions<ChannelOptions> options,
    ILogger<OutboxGrain> logger) : Grain, IOutboxGrain, IRemindable
{
    internal const string ReminderName = "channel-outbox";
    private const int MaxListLimit = 500;
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LongestTimer = TimeSpan.FromHours(1);
    private static readonly TimeSpan StoreRetry = TimeSpan.FromSeconds(5);

    private DurableDeadline? _deadline;
    private Instant? _reminderDueAt;
    private bool _toldEmailOff;
    private bool _delivering;
    private bool _queuedMeanwhile;

    private ChannelKind Channel => OutboxKeys.ChannelOf(this.GetPrimaryKeyString())
        ?? throw new InvalidOperationException($"'{this.GetPrimaryKeyString()}' is no channel: outboxes are keyed email, slack or teams.");

    private ChannelOptions Options => options.Value;

    private DurableDeadline Deadline => _deadline ??= new(this, ReminderName, ReminderPeriod, DeliverDue);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Woken by the reminder or any call: look for due messages at once.
        var now = time.Now();
        Deadline.ArmTimer(now, now, LongestTimer, clampToHorizon: true);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<int> Queue(ImmutableArray<OutboundMessage> messages)
    {
        if (messages.IsDefaultOrEmpty)
        {
            return 0;
        }

        if (messages.Length > OutboxLimits.MaxBatch)
        {
            throw new ArgumentException($"At most {OutboxLimits.MaxBatch:N0} messages are queued at once; got {messages.Length:N0}.", nameof(messages));
        }

        var channel = Channel;
        foreach (var message in messages)
        {
            if (OutboxLimits.Problem(message, channel) is { } problem)
            {
                throw new ArgumentException(problem, nameof(messages));
            }
        }

        var now = time.Now();
        var queued = await store.QueueAsync(messages, now);
        if (queued > 0)
        {
            await WakeSoon(now);
        }

        return queued;
    }

    /// <inheritdoc />
    public async Task<OutboxMessageView?> Redeliver(string messageId)
    {
        if (string.IsNullOrEmpty(messageId) || await store.FindAsync(messageId) is not { State: OutboxState.DeadLettered } dead || dead.Channel != Channel)
        {
            return null;
        }

        var now = time.Now();
        var again = await store.RedeliverAsync(messageId, now);
        if (again is not null)
        {
            await WakeSoon(now);
        }

        return again;
    }

    /// <inheritdoc />
    public Task Wake() => DeliverDue();

    /// <inheritdoc />
    public async Task<ImmutableArray<OutboxMessageView>> List(OutboxState state, int limit)
        => [.. await store.ListAsync(state, null, Math.Clamp(limit, 1, MaxListLimit))];

    /// <inheritdoc />
    public Task<OutboxAttemptPage> Attempts(long? before, int limit) => store.AttemptsAsync(before, Math.Clamp(limit, 1, MaxListLimit));

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        var now = time.Now();
        _reminderDueAt = Deadline.AfterTick(await store.NextDueAsync(Channel), now);
        await DeliverDue();
    }

    /// <summary>Something is due now: the next turn starts at once (after the one in progress, which is told so).</summary>
    private Task WakeSoon(Instant now)
    {
        if (_delivering)
        {
            _queuedMeanwhile = true;
            return Task.CompletedTask;
        }

        return Arm(now, now);
    }

    /// <summary>Attempts one batch of due messages, records the outcomes, and arms for the next due message.</summary>
    private async Task DeliverDue()
    {
        var channel = Channel;
        Instant? next;
        _delivering = true;
        _queuedMeanwhile = false;
        try
        {
            var due = await store.DueAsync(channel, time.Now(), Math.Max(1, Options.BatchSize));
            if (due.Count > 0)
            {
                using var gate = new SemaphoreSlim(Math.Max(1, Options.Parallelism));
                var outcomes = await Task.WhenAll(due.Select(row => Attempt(row, gate)));
                await store.RecordAsync(outcomes);
                foreach (var outcome in outcomes)
                {
                    SlaMetrics.Notification(channel, outcome.Result);
                }
            }

            // A full batch: more may be due now; otherwise the earliest pending message.
            next = due.Count >= Options.BatchSize ? time.Now() : await store.NextDueAsync(channel);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogStoreFailed(channel, error);
            next = time.Now() + Duration.FromTimeSpan(StoreRetry);
        }
        catch
        {
            _delivering = false;
            throw;
        }

        // Armed while still marked as delivering: a message queued during the arm (which awaits the reminder service)
        // only notes itself, and is armed for here after. Arming it from Queue instead raced with this arm, whose older
        // "next" (often none) then replaced the new timer and reminder, and the message waited for the next publisher.
        try
        {
            var now = time.Now();
            var soon = _queuedMeanwhile;
            _queuedMeanwhile = false;
            await Arm(soon ? now : next, now);
            while (_queuedMeanwhile)
            {
                _queuedMeanwhile = false;
                now = time.Now();
                await Arm(now, now);
            }
        }
        finally
        {
            _delivering = false;
        }
    }

    private async Task<OutboxOutcome> Attempt(OutboxRow row, SemaphoreSlim gate)
    {
        await gate.WaitAsync();
        try
        {
            var at = time.Now();
            var started = time.GetTimestamp();
            var (outcome, permanent) = await Send(row.Message);
            var took = Duration.FromTimeSpan(time.GetElapsedTime(started));
            var round = row.AttemptsThisRound + 1;
            var result = outcome == "delivered" ? OutboxState.Delivered
                : permanent || round >= Options.MaxAttempts ? OutboxState.DeadLettered
                : OutboxState.Pending;
            return new OutboxOutcome(row, at, outcome, took, result, at + took + Duration.FromTimeSpan(Options.RetryDelay(round)));
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<(string Outcome, bool Permanent)> Send(OutboundMessage message)
    {
        if (message.Channel == ChannelKind.Email && !smtp.Options.Enabled)
        {
            if (!_toldEmailOff)
            {
                _toldEmailOff = true;
                LogEmailOff(message.MessageId);
            }

            return ("emailOff", true);
        }

        RenderedMessage rendered;
        try
        {
            rendered = await renderer.RenderAsync(message);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogRenderFailed(message.MessageId, message.Template, error);
            return ("renderFailed", true);
        }

        switch (message.Channel)
        {
            case ChannelKind.Email:
                if (!MailboxAddress.TryParse(message.Target, out var to))
                {
                    return ("invalidAddress", true);
                }

                using (var mime = Mime(message, to, rendered))
                {
                    return await smtp.SendAsync(mime, Options.Timeout);
                }

            case ChannelKind.Slack or ChannelKind.Teams:
                if (!WebhookRules.IsUrl(message.Target))
                {
                    return ("invalidUrl", true);
                }

                var body = message.Channel == ChannelKind.Slack ? ChannelPayloads.Slack(rendered.Card) : ChannelPayloads.Teams(rendered.Card);
                var (status, outcome) = await http.PostAsync(new Uri(message.Target.Trim()), body, new Dictionary<string, string>(), Options.Timeout);
                // A refused address, or a webhook the service says is gone or malformed, will not get better by itself.
                var permanent = outcome == Outbound.OutboundOutcomes.RefusedAddress || status is 400 or 403 or 404 or 410;
                return (outcome, permanent);

            default:
                return ("unknownChannel", true);
        }
    }

    /// <summary>The email: from the configured sender, HTML and plain text, the attachment, the unsubscribe headers, a Message-Id derived from the message id.</summary>
    private MimeMessage Mime(OutboundMessage message, MailboxAddress to, RenderedMessage rendered)
    {
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(smtp.Options.From));
        mime.To.Add(to);
        mime.Subject = rendered.Subject;
        mime.MessageId = $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(message.MessageId)))[..40]}@slagrains";
        if (rendered.UnsubscribeUrl is { } unsubscribe)
        {
            // RFC 8058: the mail program POSTs "List-Unsubscribe=One-Click" to the URL; no page, no sign-in.
            mime.Headers.Add("List-Unsubscribe", $"<{unsubscribe}>");
            mime.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        var body = new BodyBuilder { HtmlBody = rendered.Html, TextBody = rendered.Text };
        if (message.Attachment is { } file)
        {
            body.Attachments.Add(file.FileName, file.Content.ToArray(), ContentType.Parse(file.ContentType));
        }

        mime.Body = body.ToMessageBody();
        return mime;
    }

    /// <summary>Keeps the reminder while anything is pending and arms the timer for the next due attempt.</summary>
    private async Task Arm(Instant? next, Instant now)
    {
        var backstop = next is { } due ? Instant.Max(due, now + Duration.FromTimeSpan(ReminderPeriod)) : (Instant?)null;
        _reminderDueAt = await Deadline.ArmReminder(backstop, _reminderDueAt, now);
        Deadline.ArmTimer(next, now, LongestTimer, clampToHorizon: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email is off (no Email:Smtp:Host): message {MessageId} and any other email is dead-lettered as emailOff until a relay is configured; redeliver them then")]
    private partial void LogEmailOff(string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: template {Template} failed to render; dead-lettered")]
    private partial void LogRenderFailed(string messageId, string template, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Channel} outbox could not read or record messages; trying again shortly")]
    private partial void LogStoreFailed(ChannelKind channel, Exception error);
}
