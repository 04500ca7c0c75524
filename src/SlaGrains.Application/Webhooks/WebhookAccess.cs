using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Webhooks;

namespace SlaGrains.Application.Webhooks;

/// <summary>
/// Who may do what with a customer's webhooks, in one place: anyone who may read the customer (its staff, its own
/// users and customer-scoped keys) reads its webhooks and deliveries; admins, managers and the customer's own users
/// and keys manage them (the endpoint receives the customer's own data, so the customer may wire it up itself);
/// technicians only read. <c>escalation.raised</c> is internal to the service provider: a customer's users and keys
/// neither subscribe to it nor see subscriptions, deliveries or dead letters of it.
/// </summary>
internal static class WebhookAccess
{
    /// <summary>Not found when the caller may not read the customer (or it does not exist); forbidden when it may read but, for <paramref name="manage"/>, not manage.</summary>
    public static async Task<Failure?> Refused(CustomerDirectory customers, Caller caller, string customerId, bool manage)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await customers.FindAsync(caller, customerId) is null)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        return manage && !Manages(caller, customerId) ? Failure.Forbidden("Webhooks are managed by admins, managers and the customer's own users.") : null;
    }

    /// <summary>Whether the caller manages the customer's webhooks.</summary>
    public static bool Manages(Caller caller, string customerId) => caller.ManagesContracts || caller.IsOwnCustomer(customerId);

    /// <summary>Whether the caller sees a subscription (staff: all; others: none that receives an internal type).</summary>
    public static bool Sees(Caller caller, WebhookSubscriptionView webhook) => caller.IsStaff || !webhook.IsInternal;

    /// <summary>Whether the caller sees deliveries of an event type.</summary>
    public static bool Sees(Caller caller, string eventType) => caller.IsStaff || !WebhookEventTypes.IsInternal(eventType);
}
