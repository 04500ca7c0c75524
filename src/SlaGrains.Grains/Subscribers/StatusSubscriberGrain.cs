using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.Subscribers;
using SlaGrains.Domain.Subscribers;

namespace SlaGrains.Grains.Subscribers;

/// <summary>
/// One email subscriber: its row from <c>status_subscribers</c> → <see cref="SubscriberLifecycle.Decide"/> at now → the row
/// written → the confirmation mail queued (when one was decided) → reply. The row is the record (no grain state): one
/// activation per subscriber id serialises the commands, so two requests for one address cannot both pass the spacing.
/// </summary>
/// <remarks>
/// The confirmation mail's id is <c>subscriber-confirm:{id}:{generation}</c>: a retried request queues it once. The row
/// is written before the mail is queued, so a crash between the two leaves a subscriber whose mail the next request
/// (after the 10-minute spacing) sends; never a mail for a request that was not recorded.
/// </remarks>
public sealed class StatusSubscriberGrain(
    IStatusSubscriberStore store,
    [FromKeyedServices(SlaTime.Key)] TimeProvider time) : Grain, IStatusSubscriberGrain
{
    private string SubscriberId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public async Task<SubscriberAnswer> Request(string customerId, string slug, string address, ImmutableArray<string> components)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(slug);
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        if (StatusSubscriberIds.Of(customerId, address) != SubscriberId)
        {
            throw new ArgumentException("The address and customer do not belong to this subscriber.", nameof(address));
        }

        var now = time.Now();
        var row = await store.FindAsync(SubscriberId);
        var decision = SubscriberLifecycle.Decide(address, row?.ToDomain(), new RequestSubscription([.. components.IsDefault ? [] : components]), now);
        if (decision.Rejection is { } rejection)
        {
            return new SubscriberAnswer(rejection.Code, rejection.Message);
        }

        if (decision.Events.Any(e => e is not ConfirmationHeldBack))
        {
            await SaveAsync(customerId, row, decision.State!, now);
        }

        if (decision.Events.OfType<ConfirmationRequested>().FirstOrDefault() is { } requested)
        {
            var key = (await GrainFactory.GetGrain<ISigningKeyGrain>(ISigningKeyGrain.Key).Secret()).ToArray();
            var pageName = await PageNameAsync(customerId);
            var model = new SubscriberConfirmModel(
                slug,
                pageName,
                SubscriberLinks.ConfirmToken(key, SubscriberId, requested.Generation, now),
                SubscriberLinks.UnsubscribeToken(key, SubscriberId),
                decision.State!.Status == SubscriptionStatus.Confirmed,
                requested.Components.Count);
            await GrainFactory.QueueAsync([new OutboundMessage(
                $"subscriber-confirm:{SubscriberId}:{requested.Generation}", ChannelKind.Email, address, SubscriberTemplates.Confirm,
                MessageTemplates.Serialize(model), customerId)]);
        }

        return SubscriberAnswer.Accepted;
    }

    /// <inheritdoc />
    public Task<SubscriberAnswer> Confirm(string customerId, int generation) => Run(new ConfirmSubscription(generation), customerId);

    /// <inheritdoc />
    public Task<SubscriberAnswer> Unsubscribe() => Run(new Domain.Subscribers.Unsubscribe());

    /// <inheritdoc />
    public async Task<bool> Remove(string customerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        return await store.DeleteAsync(customerId, SubscriberId);
    }

    private async Task<SubscriberAnswer> Run(SubscriberCommand command, string? customerId = null)
    {
        var row = await store.FindAsync(SubscriberId);
        if (row is null || (customerId is not null && row.CustomerId != customerId))
        {
            // A link to a subscriber staff removed: as for an address that never confirmed.
            return command is Domain.Subscribers.Unsubscribe
                ? SubscriberAnswer.Accepted
                : new SubscriberAnswer("no-subscription", "There is nothing to confirm for this address: subscribe again.");
        }

        var now = time.Now();
        var decision = SubscriberLifecycle.Decide(row.Address, row.ToDomain(), command, now);
        if (decision.Rejection is { } rejection)
        {
            return new SubscriberAnswer(rejection.Code, rejection.Message);
        }

        if (!decision.Events.IsEmpty)
        {
            await SaveAsync(row.CustomerId, row, decision.State!, now);
        }

        return SubscriberAnswer.Accepted;
    }

    private Task SaveAsync(string customerId, StatusSubscriberRow? before, StatusSubscription after, Instant now)
        => store.SaveAsync([StatusSubscriberRow.From(SubscriberId, customerId, after, before?.CreatedAt ?? now)]);

    private async Task<string> PageNameAsync(string customerId)
        => (await GrainFactory.GetGrain<Contracts.Customers.ICustomerDirectoryGrain>(Contracts.Customers.ICustomerDirectoryGrain.Key).Find(customerId))?.Name ?? customerId;
}
