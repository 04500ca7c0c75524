using System.Collections.Immutable;
using SlaGrains.Application.Channels;
using SlaGrains.Application.Customers;
using SlaGrains.Application.StatusPages;
using SlaGrains.Application.Webhooks;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.Subscribers;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Domain.Subscribers;

namespace SlaGrains.Application.Subscribers;

/// <summary>A subscriber as staff see it (the only view with the address).</summary>
/// <param name="SubscriberId">The id.</param>
/// <param name="Address">The email address.</param>
/// <param name="Status"><c>pending</c>, <c>confirmed</c> or <c>unsubscribed</c>.</param>
/// <param name="Components">The monitor ids it receives; empty for all.</param>
/// <param name="CreatedAt">When it first asked.</param>
/// <param name="ConfirmedAt">When it last confirmed, or null.</param>
/// <param name="ConfirmationSentAt">When the latest confirmation mail was queued, or null.</param>
public sealed record SubscriberView(
    string SubscriberId, string Address, SubscriptionStatus Status, ImmutableArray<string> Components, Instant CreatedAt, Instant? ConfirmedAt, Instant? ConfirmationSentAt);

/// <summary>A page of a customer's subscribers, by id; <see cref="Next"/> is the <c>after</c> of the next page, null at the end.</summary>
public sealed record SubscriberPage(ImmutableArray<SubscriberView> Items, string? Next);

/// <summary>The body of <c>POST /api/v1/customers/{id}/subscribers</c>: a webhook subscriber.</summary>
/// <param name="WebhookUrl">Where incident updates and maintenance are posted (the outbound address rules apply).</param>
public sealed record WebhookSubscriberInput(string? WebhookUrl);

/// <summary>
/// Subscribers of a customer's public status page. Anonymous visitors subscribe an email address (double opt-in: a
/// confirmation mail with a signed 48-hour link), confirm and unsubscribe by signed links; the answer to a subscription
/// request never tells whether the address was subscribed. Only staff list and remove subscribers (addresses are shown
/// to nobody else). A signed-in user of the customer (or an admin or manager) adds a webhook subscriber: a webhook
/// subscription to the page's public events, delivered and signed like every webhook.
/// </summary>
[ApplicationService]
public sealed class StatusSubscribers(IGrainFactory grains, PublicStatusPages pages, CustomerDirectory customers, WebhookCommands webhooks, ISlaNow clock)
{
    /// <summary>The events a webhook subscriber receives: what the public page shows.</summary>
    public static ImmutableArray<string> WebhookEvents { get; } =
        [WebhookEventTypes.IncidentOpened, WebhookEventTypes.IncidentUpdated, WebhookEventTypes.IncidentResolved, WebhookEventTypes.MaintenanceAnnounced];

    /// <summary>Most subscribers one list page holds.</summary>
    public const int MaxPage = 500;

    /// <summary>
    /// Asks for a confirmation mail to <paramref name="email"/> for <paramref name="componentKeys"/> (the page's component
    /// keys; none: all) of the page at <paramref name="slug"/>. Not found for an unknown or disabled page; invalid for a bad
    /// address or components; otherwise accepted, whatever the address's state (a held-back mail looks the same).
    /// </summary>
    public async Task<Result<bool>> Subscribe(string? slug, string? email, IReadOnlyList<string>? componentKeys)
    {
        if (await pages.Find(slug) is not { } page)
        {
            return Failure.NotFound("The status page");
        }

        var errors = new InputErrors();
        var address = Normalize(email);
        if (address is null)
        {
            errors.Add("email", EmailAddresses.Rule);
        }

        var keys = componentKeys ?? [];
        var monitors = ImmutableArray.CreateBuilder<string>();
        if (keys.Count > StatusSubscription.MaxComponents)
        {
            errors.Add("components", $"Pick at most {StatusSubscription.MaxComponents} components, or none for all of them.");
        }
        else if (keys.Count > 0)
        {
            // The page shows opaque component keys, never monitor ids: map them back through the customer's own components.
            var customer = await grains.GetGrain<Contracts.Customers.ICustomerGrain>(page.CustomerId).Get();
            var byKey = (customer?.Components ?? []).ToDictionary(c => PublicStatusPages.KeyOf(page.CustomerId, "component", c.MonitorId), c => c.MonitorId, StringComparer.Ordinal);
            foreach (var key in keys.Distinct(StringComparer.Ordinal))
            {
                if (key is null || !byKey.TryGetValue(key, out var monitor) || !page.Components.Any(c => c.Key == key))
                {
                    errors.Add("components", "Pick components shown on the page.");
                    break;
                }

                monitors.Add(monitor);
            }
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var answer = await grains.GetGrain<IStatusSubscriberGrain>(StatusSubscriberIds.Of(page.CustomerId, address!))
            .Request(page.CustomerId, page.Slug, address!, monitors.ToImmutable());
        return answer.RejectionCode is { } code ? Failure.Rejected(new Domain.Rejection(code, answer.RejectionMessage ?? code)) : true;
    }

    /// <summary>Confirms by a confirmation token of the page at <paramref name="slug"/>; invalid for a forged, expired, superseded or foreign token.</summary>
    public async Task<Result<bool>> Confirm(string? slug, string? token)
    {
        if (await pages.Find(slug) is not { } page)
        {
            return Failure.NotFound("The status page");
        }

        var key = await KeyAsync();
        if (SubscriberLinks.ReadConfirm(key, token, clock.Now) is not { } link)
        {
            return Failure.Invalid("token", "This confirmation link is not valid or has expired: subscribe again to get a new one.");
        }

        var answer = await grains.GetGrain<IStatusSubscriberGrain>(link.SubscriberId).Confirm(page.CustomerId, link.Generation);
        return answer.RejectionCode is { } code ? Failure.Invalid("token", answer.RejectionMessage ?? code) : true;
    }

    /// <summary>Unsubscribes by an unsubscribe token of the page at <paramref name="slug"/> (idempotent); invalid for a forged or foreign token.</summary>
    public async Task<Result<bool>> Unsubscribe(string? slug, string? token)
    {
        // A switched-off page still lets its subscribers leave: mail already sent keeps working.
        if (!StatusPageSlug.IsSlug(slug))
        {
            return Failure.NotFound("The status page");
        }

        var key = await KeyAsync();
        if (SubscriberLinks.ReadUnsubscribe(key, token) is not { } subscriberId)
        {
            return Failure.Invalid("token", "This unsubscribe link is not valid.");
        }

        await grains.GetGrain<IStatusSubscriberGrain>(subscriberId).Unsubscribe();
        return true;
    }

    /// <summary>Whether <paramref name="token"/> is a valid unsubscribe token (for the page that shows the button).</summary>
    public async Task<bool> IsUnsubscribeToken(string? token) => SubscriberLinks.ReadUnsubscribe(await KeyAsync(), token) is not null;

    /// <summary>Whether <paramref name="token"/> is a valid, unexpired confirmation token (for the page that shows the button).</summary>
    public async Task<bool> IsConfirmToken(string? token) => SubscriberLinks.ReadConfirm(await KeyAsync(), token, clock.Now) is not null;

    /// <summary>The customer's email subscribers, by id (staff only: 404 for anyone else, as for another tenant's customer).</summary>
    public async Task<Result<SubscriberPage>> List(Caller caller, string customerId, string? after, int? limit)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await StaffRefusal(caller, customerId) is { } refused)
        {
            return refused;
        }

        var size = limit ?? 100;
        if (size is < 1 or > MaxPage)
        {
            return Failure.Invalid("limit", $"limit is 1–{MaxPage}.");
        }

        if (after is not null && !StatusSubscriberIds.IsId(after))
        {
            return Failure.Invalid("after", "after is a subscriber id from the previous page.");
        }

        var rows = await grains.GetGrain<IStatusSubscribersGrain>(customerId).List(after, size);
        var items = rows.Select(r => new SubscriberView(r.SubscriberId, r.Address, r.Status, r.Components, r.CreatedAt, r.ConfirmedAt, r.ConfirmationSentAt)).ToImmutableArray();
        return new SubscriberPage(items, rows.Length == size ? rows[^1].SubscriberId : null);
    }

    /// <summary>Removes an email subscriber (staff only); not found when there is none.</summary>
    public async Task<Result<bool>> Remove(Caller caller, string customerId, string subscriberId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await StaffRefusal(caller, customerId) is { } refused)
        {
            return refused;
        }

        return StatusSubscriberIds.IsId(subscriberId) && await grains.GetGrain<IStatusSubscriberGrain>(subscriberId).Remove(customerId)
            ? true
            : Failure.NotFound($"Subscriber '{subscriberId}'");
    }

    /// <summary>
    /// Adds a webhook subscriber: a webhook subscription of the customer to <see cref="WebhookEvents"/>, signed and delivered
    /// like every webhook (the secret is in the result only). Who may: as for webhooks (the customer's own users, admins, managers).
    /// </summary>
    public Task<Result<CreatedWebhook>> AddWebhook(Caller caller, string customerId, WebhookSubscriberInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return webhooks.Subscribe(caller, customerId, new NewWebhookInput(input.WebhookUrl, WebhookEvents, "Status page subscriber"));
    }

    /// <summary>An address as stored: a valid address (<see cref="EmailAddresses"/>) with its domain in lower case; null when it is none.</summary>
    public static string? Normalize(string? email)
    {
        if (EmailAddresses.Normalize(email) is not { } address)
        {
            return null;
        }

        var at = address.LastIndexOf('@');
        return string.Concat(address.AsSpan(0, at + 1), address[(at + 1)..].ToLowerInvariant());
    }

    private async Task<Failure?> StaffRefusal(Caller caller, string customerId)
    {
        if (!caller.IsStaff || await customers.FindAsync(caller, customerId) is null)
        {
            // A customer's own users get the same 404 as for another tenant: addresses are for staff only.
            return Failure.NotFound($"Customer '{customerId}'");
        }

        return null;
    }

    private async Task<byte[]> KeyAsync() => (await grains.GetGrain<ISigningKeyGrain>(ISigningKeyGrain.Key).Secret()).ToArray();

}
