using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Network;
using SlaGrains.Contracts.Webhooks;

namespace SlaGrains.Application.Webhooks;

/// <summary>
/// Changes to a customer's webhooks, for the API and the admin page alike: subscribe (the signing secret is in the
/// result only, shown once), enable or disable, delete, redeliver a dead letter — by admins, managers and the
/// customer's own users and keys, never touching what is internal to the service provider unless the caller is staff
/// (see <see cref="WebhookAccess"/>) — and rotate the escalation rules' secret (admins and managers).
/// </summary>
[ApplicationService]
public sealed class WebhookCommands(IGrainFactory grains, CustomerDirectory customers, OutboundCheck outbound)
{
    /// <summary>Most event types one subscription names.</summary>
    public const int MaxEventTypes = 50;

    /// <summary>Longest webhook URL.</summary>
    public const int MaxUrlLength = 2_000;

    /// <summary>Adds a subscription; the result holds its signing secret, which cannot be retrieved again.</summary>
    public async Task<Result<CreatedWebhook>> Subscribe(Caller caller, string customerId, NewWebhookInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (await WebhookAccess.Refused(customers, caller, customerId, manage: true) is { } refused)
        {
            return refused;
        }

        var errors = new InputErrors();
        var tooLong = input.Url is { Length: > MaxUrlLength };
        foreach (var (field, message) in WebhookRules.Check(tooLong ? null : input.Url, input.EventTypes))
        {
            errors.Add(field, tooLong && field == "url" ? $"A webhook URL has at most {MaxUrlLength} characters." : message);
        }

        // Only where outbound requests may go: no loopback, private, link-local... address, no credentials.
        if (!tooLong && WebhookRules.IsUrl(input.Url) && await outbound.ProblemAsync(input.Url) is { } refusedUrl)
        {
            errors.Add("url", refusedUrl);
        }

        if (!caller.IsStaff && input.EventTypes?.FirstOrDefault(WebhookEventTypes.IsInternal) is { } internalType)
        {
            errors.Add("eventTypes", $"'{internalType}' is internal to the service provider.");
        }

        // Event types: a short list of known names, no null among them (the URL rules are checked above).
        Bounds.CheckList(errors, "eventTypes", input.EventTypes, MaxEventTypes);
        var description = Bounds.Blank(input.Description);
        if (description is not null && (description.Length > Bounds.NameLength || !Bounds.IsPrintable(description)))
        {
            errors.Add("description", $"A description has at most {Bounds.NameLength} characters and no control characters.");
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        return await grains.GetGrain<IWebhookGrain>(customerId).Subscribe(input.Url!, [.. input.EventTypes!], description);
    }

    /// <summary>Enables or disables a subscription the caller sees; deliveries already queued still run.</summary>
    public async Task<Result<WebhookSubscriptionView>> SetEnabled(Caller caller, string customerId, string webhookId, bool? enabled)
    {
        if (await WebhookAccess.Refused(customers, caller, customerId, manage: true) is { } refused)
        {
            return refused;
        }

        if (enabled is not { } on)
        {
            return Failure.Invalid("enabled", "Say whether the webhook is enabled: {\"enabled\": true} or false.");
        }

        return await Find(caller, customerId, webhookId) is not null && await grains.GetGrain<IWebhookGrain>(customerId).SetEnabled(webhookId, on) is { } view
            ? view
            : Failure.NotFound($"Webhook '{webhookId}'");
    }

    /// <summary>Deletes a subscription the caller sees, with its queued deliveries and dead letters; the result is the subscription as it was.</summary>
    public async Task<Result<WebhookSubscriptionView>> Remove(Caller caller, string customerId, string webhookId)
    {
        if (await WebhookAccess.Refused(customers, caller, customerId, manage: true) is { } refused)
        {
            return refused;
        }

        return await Find(caller, customerId, webhookId) is { } webhook && await grains.GetGrain<IWebhookGrain>(customerId).Remove(webhookId)
            ? webhook
            : Failure.NotFound($"Webhook '{webhookId}'");
    }

    /// <summary>Queues a dead letter the caller sees for a new round of attempts, starting now; not found once it is no longer a dead letter.</summary>
    public async Task<Result<WebhookDeliveryView>> Redeliver(Caller caller, string customerId, string deliveryId)
    {
        if (await WebhookAccess.Refused(customers, caller, customerId, manage: true) is { } refused)
        {
            return refused;
        }

        var hooks = grains.GetGrain<IWebhookGrain>(customerId);
        var dead = Bounds.IsId(deliveryId) ? (await hooks.GetDeadLetters()).FirstOrDefault(d => d.DeliveryId == deliveryId && WebhookAccess.Sees(caller, d.EventType)) : null;
        return dead is not null && await hooks.Redeliver(deliveryId) is { } queued
            ? queued
            : Failure.NotFound($"Dead letter '{deliveryId}'");
    }

    /// <summary>A new secret for the escalation rules' webhook URLs, returned this once (the old one no longer verifies); admins and managers.</summary>
    public async Task<Result<string>> RotateRuleSecret(Caller caller, string customerId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await customers.FindAsync(caller, customerId) is null)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        // Escalation rules are the service provider's own (like escalation.raised), so the customer's users may not.
        if (!caller.ManagesContracts)
        {
            return Failure.Forbidden("The escalation rules' secret is rotated by admins and managers.");
        }

        return await grains.GetGrain<IWebhookGrain>(customerId).RotateRuleSecret();
    }

    private async Task<WebhookSubscriptionView?> Find(Caller caller, string customerId, string webhookId)
        => Bounds.IsId(webhookId)
            ? (await grains.GetGrain<IWebhookGrain>(customerId).GetSubscriptions()).FirstOrDefault(s => s.WebhookId == webhookId && WebhookAccess.Sees(caller, s))
            : null;
}
