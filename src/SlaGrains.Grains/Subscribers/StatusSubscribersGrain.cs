using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Subscribers;

namespace SlaGrains.Grains.Subscribers;

/// <summary>
/// A customer's subscribers as a whole: the staff list and the fan-out. A notice is read against the confirmed rows page
/// by page (<see cref="Page"/> at a time, by id) and each page's matching subscribers are queued as one outbox call
/// (well under <see cref="OutboxLimits.MaxBatch"/>), message id <c>{notice id}:{subscriber id}</c>: a notice handed over
/// again (a retry, a reactivation) queues nothing twice, and a subscriber who left meanwhile is not written to.
/// </summary>
public sealed class StatusSubscribersGrain(IStatusSubscriberStore store, ILogger<StatusSubscribersGrain> logger) : Grain, IStatusSubscribersGrain
{
    /// <summary>Rows read and messages queued per step.</summary>
    public const int Page = 5_000;

    private string CustomerId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public async Task<ImmutableArray<StatusSubscriberRow>> List(string? after, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 500);
        return [.. await store.ListAsync(CustomerId, after, limit, confirmedOnly: false)];
    }

    /// <inheritdoc />
    public async Task<int> Notify(SubscriberNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (notice.CustomerId != CustomerId)
        {
            throw new ArgumentException($"The notice is for '{notice.CustomerId}', not '{CustomerId}'.", nameof(notice));
        }

        // Subscribers of a page that is off get nothing: the page their links lead to answers 404.
        if (await GrainFactory.GetGrain<ICustomerStatusPageGrain>(CustomerId).GetStatusPage() is not { Enabled: true } page)
        {
            return 0;
        }

        var components = notice.Components.IsDefault ? [] : notice.Components;
        var pageName = (await GrainFactory.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).Find(CustomerId))?.Name ?? CustomerId;
        var names = await NamesAsync(components);
        var key = (await GrainFactory.GetGrain<ISigningKeyGrain>(ISigningKeyGrain.Key).Secret()).ToArray();
        var queued = 0;
        string? after = null;
        while (true)
        {
            var rows = await store.ListAsync(CustomerId, after, Page, confirmedOnly: true);
            if (rows.Count == 0)
            {
                break;
            }

            after = rows[^1].SubscriberId;
            var messages = rows
                .Where(r => r.ToDomain().Receives(components))
                .Select(r => new OutboundMessage(
                    $"{notice.NoticeId}:{r.SubscriberId}",
                    ChannelKind.Email,
                    r.Address,
                    SubscriberTemplates.Notice,
                    MessageTemplates.Serialize(new SubscriberNoticeModel(
                        page.Slug, pageName, notice.Kind, notice.Title, notice.Status, notice.Message, names, notice.At, notice.Start, notice.End,
                        SubscriberLinks.UnsubscribeToken(key, r.SubscriberId))),
                    CustomerId))
                .ToList();
            if (messages.Count > 0)
            {
                queued += await GrainFactory.QueueAsync(messages);
            }

            if (rows.Count < Page)
            {
                break;
            }
        }

        logger.LogInformation("Notice {Notice}: {Count} subscriber messages queued for {Customer}", notice.NoticeId, queued, CustomerId);
        return queued;
    }

    /// <summary>The component names people read, by monitor id (the id itself when the monitor is gone).</summary>
    private async Task<ImmutableArray<string>> NamesAsync(ImmutableArray<string> components)
    {
        var names = ImmutableArray.CreateBuilder<string>(components.Length);
        foreach (var id in components.Take(20))
        {
            names.Add((await GrainFactory.GetGrain<IMonitorGrain>(id).Get())?.Settings.ComponentName ?? id);
        }

        return names.ToImmutable();
    }
}
