using System.Collections.Immutable;
using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Webhooks;

namespace SlaGrains.Application.Webhooks;

/// <summary>
/// Reading a customer's webhooks: the subscriptions (never their secrets), the delivery log, the pending deliveries
/// and the dead letters, for anyone who may read the customer — without what is internal to the service provider
/// unless the caller is staff (see <see cref="WebhookAccess"/>).
/// </summary>
[ApplicationService]
public sealed class WebhookQueries(IGrainFactory grains, CustomerDirectory customers)
{
    /// <summary>Most attempts one page of the delivery log holds.</summary>
    public const int MaxPageSize = 200;

    /// <summary>The page size when none is asked for.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>The customer's webhook subscriptions the caller sees, oldest first.</summary>
    public async Task<Result<ImmutableArray<WebhookSubscriptionView>>> List(Caller caller, string customerId)
    {
        if (await WebhookAccess.Refused(customers, caller, customerId, manage: false) is { } refused)
        {
            return refused;
        }

        var all = await grains.GetGrain<IWebhookGrain>(customerId).GetSubscriptions();
        return all.Where(s => WebhookAccess.Sees(caller, s)).ToImmutableArray();
    }

    /// <summary>
    /// A page of the delivery log, newest attempt first. Page numbers are 1–<see cref="Bounds.MaxPage"/> (default 1) and
    /// the page size 1–<see cref="MaxPageSize"/> (default <see cref="DefaultPageSize"/>); anything else is invalid.
    /// </summary>
    public async Task<Result<WebhookAttemptsPage>> Deliveries(Caller caller, string customerId, int? page = null, int? pageSize = null)
    {
        if (await WebhookAccess.Refused(customers, caller, customerId, manage: false) is { } refused)
        {
            return refused;
        }

        var errors = new InputErrors();
        if (!Bounds.CheckPage(errors, page, pageSize, MaxPageSize))
        {
            return Failure.Invalid(errors);
        }

        var size = pageSize ?? DefaultPageSize;
        var number = page ?? 1;
        var skip = (int)Math.Min((number - 1L) * size, int.MaxValue);
        var hooks = grains.GetGrain<IWebhookGrain>(customerId);
        if (caller.IsStaff)
        {
            // Staff see every attempt: the grain pages the log itself.
            var slice = await hooks.GetAttempts(skip, size);
            return new WebhookAttemptsPage(slice.Items, slice.Total, number, size);
        }

        var visible = (await hooks.GetAttempts(0, int.MaxValue)).Items.Where(a => WebhookAccess.Sees(caller, a.EventType)).ToList();
        return new WebhookAttemptsPage([.. visible.Skip(skip).Take(size)], visible.Count, number, size);
    }

    /// <summary>Deliveries waiting for their next attempt, next due first.</summary>
    public async Task<Result<ImmutableArray<WebhookDeliveryView>>> Pending(Caller caller, string customerId)
    {
        if (await WebhookAccess.Refused(customers, caller, customerId, manage: false) is { } refused)
        {
            return refused;
        }

        var pending = await grains.GetGrain<IWebhookGrain>(customerId).GetPending();
        return pending.Where(d => WebhookAccess.Sees(caller, d.EventType)).ToImmutableArray();
    }

    /// <summary>Deliveries whose every attempt failed, newest first.</summary>
    public async Task<Result<ImmutableArray<WebhookDeliveryView>>> DeadLetters(Caller caller, string customerId)
    {
        if (await WebhookAccess.Refused(customers, caller, customerId, manage: false) is { } refused)
        {
            return refused;
        }

        var dead = await grains.GetGrain<IWebhookGrain>(customerId).GetDeadLetters();
        return dead.Where(d => WebhookAccess.Sees(caller, d.EventType)).ToImmutableArray();
    }
}
