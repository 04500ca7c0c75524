using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Channels;

namespace SlaGrains.Grains.Channels;

/// <summary>
/// One person's digest on one channel (see <see cref="IDigestGrain"/>): lines are written before <see cref="Add"/>
/// returns; a grain timer (precise while active) and an Orleans reminder (the backstop) wake it when the earliest
/// digest is due on the SLA clock, and each due digest is queued in the outbox as one message, then dropped. The
/// message id is the key and due time, so a crash between queueing and the write that drops it queues nothing twice.
/// The target is read when the digest goes (the person's current address or webhook); without one it is dropped.
/// </summary>
public sealed partial class DigestGrain(
    [PersistentState("digest")] IPersistentState<DigestState> state,
    [FromKeyedServices(SlaTime.Key)] TimeProvider time,
    ILogger<DigestGrain> logger) : Grain, IDigestGrain, IRemindable
{
    internal const string ReminderName = "digest";

    /// <summary>How many ids of lines already sent are kept, so a notice handed over again after its digest went is not sent again.</summary>
    private const int SentIdsKept = 2_000;

    /// <summary>Most lines waiting at once (a flood is cut, not stored without bound).</summary>
    private const int MaxPendingLines = 5_000;

    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan LongestTimer = TimeSpan.FromHours(1);
    private static readonly TimeSpan StoreRetry = TimeSpan.FromSeconds(10);

    private DurableDeadline? _deadline;

    private DurableDeadline Deadline => _deadline ??= new(this, ReminderName, ReminderPeriod, Wake);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Deadline.ArmTimer(Next, time.Now(), LongestTimer, clampToHorizon: true);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task Add(NoticeLine line, Instant sendAt)
    {
        ArgumentNullException.ThrowIfNull(line);
        var s = state.State;
        if (s.SentLineIds.Contains(line.LineId) || s.Digests.Values.Any(d => d.Any(l => l.LineId == line.LineId))
            || s.Digests.Values.Sum(d => d.Count) >= MaxPendingLines)
        {
            return;
        }

        if (!s.Digests.TryGetValue(sendAt, out var lines))
        {
            s.Digests[sendAt] = lines = [];
        }

        lines.Add(line.Bounded());
        await state.WriteStateAsync();
        await Arm(time.Now());
    }

    /// <inheritdoc />
    public Task<ImmutableArray<PendingDigest>> Pending()
        => Task.FromResult(state.State.Digests.OrderBy(d => d.Key).Select(d => new PendingDigest(d.Key, [.. d.Value])).ToImmutableArray());

    /// <inheritdoc />
    public async Task Wake()
    {
        var now = time.Now();
        var due = state.State.Digests.Where(d => d.Key <= now).OrderBy(d => d.Key).ToList();
        if (due.Count > 0)
        {
            try
            {
                await SendAsync(due);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogQueueFailed(this.GetPrimaryKeyString(), error);
                Deadline.ArmTimer(now + Duration.FromTimeSpan(StoreRetry), now, LongestTimer, clampToHorizon: true);
                return;
            }
        }

        await Arm(now);
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ReminderName)
        {
            // The reminder ticks again a period later unless re-registered: Wake's re-arm removes it when nothing waits.
            state.State.ReminderDueAt = Deadline.AfterTick(Next, time.Now());
            await Wake();
        }
    }

    private Instant? Next => state.State.Digests.Count == 0 ? null : state.State.Digests.Keys.Min();

    private async Task SendAsync(List<KeyValuePair<Instant, List<NoticeLine>>> due)
    {
        var key = this.GetPrimaryKeyString();
        var (channel, userName) = DigestKeys.Parse(key) ?? throw new InvalidOperationException($"'{key}' is no digest key.");
        var user = await GrainFactory.GetGrain<IAccountsGrain>(IAccountsGrain.Key).FindUser(userName);
        var target = user is null ? null : NoticeChannels.Target(user, channel);
        if (target is not null)
        {
            var messages = due.Select(d =>
            {
                var lines = d.Value.OrderBy(l => l.At).ToList();
                var model = new DigestModel(user!.UserName, d.Key, [.. lines.Take(IDigestGrain.MaxLines)], Math.Max(0, lines.Count - IDigestGrain.MaxLines));
                return new OutboundMessage($"digest:{key}:{d.Key.ToUnixTimeSeconds()}", channel, target, MessageTemplates.Digest, MessageTemplates.Serialize(model), null);
            });
            await GrainFactory.QueueAsync(messages);
        }
        else
        {
            LogNoTarget(key, due.Sum(d => d.Value.Count));
        }

        foreach (var (sendAt, lines) in due)
        {
            state.State.Digests.Remove(sendAt);
            state.State.SentLineIds.AddRange(lines.Select(l => l.LineId));
        }

        if (state.State.SentLineIds.Count > SentIdsKept)
        {
            state.State.SentLineIds.RemoveRange(0, state.State.SentLineIds.Count - SentIdsKept);
        }

        await state.WriteStateAsync();
    }

    private async Task Arm(Instant now)
    {
        var next = Next;
        var registered = state.State.ReminderDueAt;
        var backstop = next is { } due ? Instant.Max(due, now + Duration.FromTimeSpan(ReminderPeriod)) : (Instant?)null;
        var reminder = await Deadline.ArmReminder(backstop, registered, now);
        if (reminder != registered)
        {
            state.State.ReminderDueAt = reminder;
            await state.WriteStateAsync();
        }

        Deadline.ArmTimer(next, now, LongestTimer, clampToHorizon: true);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Digest {Key}: could not queue the due digest; trying again shortly")]
    private partial void LogQueueFailed(string key, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Digest {Key}: {Lines} lines dropped, the person has no address or webhook on this channel any more")]
    private partial void LogNoTarget(string key, int lines);
}

/// <summary>A digest grain's durable state.</summary>
[GenerateSerializer]
[Alias("slagrains.digest-state")]
public sealed class DigestState
{
    /// <summary>The lines of each digest waiting, by due time.</summary>
    [Id(0)]
    public Dictionary<Instant, List<NoticeLine>> Digests { get; set; } = [];

    /// <summary>The ids of the lines most recently sent, oldest first.</summary>
    [Id(1)]
    public List<string> SentLineIds { get; set; } = [];

    /// <summary>When the registered reminder is due; null when none is registered (or it ticked).</summary>
    [Id(2)]
    public Instant? ReminderDueAt { get; set; }
}
