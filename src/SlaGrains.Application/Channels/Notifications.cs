using System.Collections.Immutable;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Channels;

namespace SlaGrains.Application.Channels;

/// <summary>
/// The channel outbox as staff see it, for the API and the admin page alike: the delivery log, the messages waiting
/// for their next attempt and the dead letters (staff only: targets are people's addresses and secret webhook URLs),
/// and redelivery of a dead letter (admins and managers). Slack and Teams webhook URLs show only their host.
/// </summary>
[ApplicationService]
public sealed class Notifications(IGrainFactory grains)
{
    /// <summary>Largest page.</summary>
    public const int MaxPageSize = 500;

    /// <summary>Default page.</summary>
    public const int DefaultPageSize = 100;

    // Any outbox answers the lists for every channel; the email one is the one that is active most.
    private IOutboxGrain Any => grains.GetGrain<IOutboxGrain>(OutboxKeys.Of(ChannelKind.Email));

    /// <summary>The delivery log, newest first: <paramref name="pageSize"/> (1–500, default 100) attempts older than <paramref name="before"/> (an attempt id from the previous page).</summary>
    public async Task<Result<OutboxAttemptPage>> Deliveries(Caller caller, long? before, int? pageSize)
    {
        if (Refusal(caller, pageSize, before) is { } refused)
        {
            return refused;
        }

        var page = await Any.Attempts(before, pageSize ?? DefaultPageSize);
        return page with { Items = [.. page.Items.Select(a => a with { Target = Shown(a.Channel, a.Target) })] };
    }

    /// <summary>Messages waiting for their next attempt, earliest due first.</summary>
    public async Task<Result<ImmutableArray<OutboxMessageView>>> Pending(Caller caller, int? pageSize)
        => Refusal(caller, pageSize, null) is { } refused ? refused : Shown(await Any.List(OutboxState.Pending, pageSize ?? DefaultPageSize));

    /// <summary>Dead letters, newest first.</summary>
    public async Task<Result<ImmutableArray<OutboxMessageView>>> DeadLetters(Caller caller, int? pageSize)
        => Refusal(caller, pageSize, null) is { } refused ? refused : Shown(await Any.List(OutboxState.DeadLettered, pageSize ?? DefaultPageSize));

    /// <summary>Queues a dead letter for a new round of attempts, starting now (admins and managers); 404 for anything that is no dead letter.</summary>
    public async Task<Result<OutboxMessageView>> Redeliver(Caller caller, string messageId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsStaff)
        {
            return Failure.Forbidden("Notification deliveries are internal to the service provider.");
        }

        if (!caller.ManagesContracts)
        {
            return Failure.Forbidden("Admins and managers redeliver notifications.");
        }

        if (string.IsNullOrWhiteSpace(messageId) || messageId.Length > OutboxLimits.MaxMessageIdLength)
        {
            return Failure.NotFound($"Dead letter '{messageId}'");
        }

        foreach (var channel in Enum.GetValues<ChannelKind>())
        {
            if (await grains.GetGrain<IOutboxGrain>(OutboxKeys.Of(channel)).Redeliver(messageId) is { } again)
            {
                return again with { Target = Shown(again.Channel, again.Target) };
            }
        }

        return Failure.NotFound($"Dead letter '{messageId}'");
    }

    /// <summary>
    /// A target as staff see it: an email address as it is; a Slack or Teams webhook URL only by its host, since the
    /// URL is the credential (whoever has it can post to the channel).
    /// </summary>
    public static string Shown(ChannelKind channel, string target)
        => channel == ChannelKind.Email ? target : Uri.TryCreate(target, UriKind.Absolute, out var url) ? $"{url.Scheme}://{url.Authority}/…" : "…";

    private static ImmutableArray<OutboxMessageView> Shown(ImmutableArray<OutboxMessageView> views)
        => [.. views.Select(v => v with { Target = Shown(v.Channel, v.Target) })];

    private static Failure? Refusal(Caller caller, int? pageSize, long? before)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsStaff)
        {
            return Failure.Forbidden("Notification deliveries are internal to the service provider.");
        }

        var errors = new InputErrors();
        if (pageSize is not null and not (>= 1 and <= MaxPageSize))
        {
            errors.Add("pageSize", $"A page has 1–{MaxPageSize} entries.");
        }

        if (before is <= 0)
        {
            errors.Add("before", "'before' is an attempt id from the previous page (a positive number).");
        }

        return errors.Any ? Failure.Invalid(errors) : null;
    }
}
