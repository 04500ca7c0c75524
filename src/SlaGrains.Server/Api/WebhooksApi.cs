using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Ui.Services;

namespace SlaGrains.Server.Api;

/// <summary>A new webhook: an absolute http(s) <c>url</c>, the <c>eventTypes</c> it receives (at least one), a description.</summary>
public sealed record NewWebhookRequest(string? Url, List<string>? EventTypes, string? Description);

/// <summary>Enables or disables a webhook.</summary>
public sealed record WebhookPatchRequest(bool? Enabled);

/// <summary>A page of the delivery log, newest attempt first.</summary>
public sealed record WebhookAttemptsPage(ImmutableArray<WebhookAttemptView> Items, int Total, int Page, int PageSize);

/// <summary>The new secret escalation rules' webhook URLs are signed with, shown this once.</summary>
public sealed record RuleSecretResponse(string Secret);

/// <summary>
/// A customer's webhooks. Who may do what: anyone who may read the customer (its staff, its own users and
/// customer-scoped keys) sees its webhooks and deliveries; admins, managers and the customer's own users and keys
/// create, disable, delete and redeliver (the endpoint receives the customer's own data, so the customer may wire it
/// up itself); technicians only read. <c>escalation.raised</c> is internal to the service provider, like the
/// escalation rules: a customer's users and keys can neither subscribe to it nor see subscriptions, deliveries or
/// dead letters of it; the rule secret is rotated by admins and managers only.
/// </summary>
internal static class WebhooksApi
{
    public static void MapWebhooksApi(this RouteGroupBuilder api)
    {
        var hooks = api.MapGroup("/customers/{id}/webhooks").WithTags("Webhooks");
        hooks.MapGet("/", List).WithSummary("The customer's webhook subscriptions (never their secrets).");
        hooks.MapPost("/", Create).WithSummary("Creates a webhook subscription; the response holds its signing secret, shown this once.");
        hooks.MapPatch("/{webhookId}", SetEnabled).WithSummary("Enables or disables a webhook: {\"enabled\": false}. Deliveries already queued still run.");
        hooks.MapDelete("/{webhookId}", Remove).WithSummary("Deletes a webhook with its queued deliveries and dead letters.");
        hooks.MapGet("/deliveries", Deliveries).WithSummary("The delivery log: one entry per attempt, newest first (paged).");
        hooks.MapGet("/pending", Pending).WithSummary("Deliveries waiting for their next attempt.");
        hooks.MapGet("/dead-letters", DeadLetters).WithSummary("Deliveries whose every attempt failed, newest first.");
        hooks.MapPost("/dead-letters/{deliveryId}/redeliver", Redeliver).WithSummary("Queues a dead letter for a new round of attempts, starting now.");
        hooks.MapPost("/rule-secret", RotateRuleSecret).WithSummary("A new secret for escalation rules' webhook URLs, shown this once (admins and managers).");
    }

    private static async Task<Results<Ok<ImmutableArray<WebhookSubscriptionView>>, ProblemHttpResult>> List(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (caller, refused) = await Access(id, user, grains, manage: false);
        if (refused is not null)
        {
            return refused;
        }

        var all = await Hooks(grains, id).GetSubscriptions();
        return TypedResults.Ok(all.Where(s => Sees(caller, s)).ToImmutableArray());
    }

    private static async Task<Results<Created<CreatedWebhook>, ValidationProblem, ProblemHttpResult>> Create(
        string id, NewWebhookRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (caller, refused) = await Access(id, user, grains, manage: true);
        if (refused is not null)
        {
            return refused;
        }

        var errors = new InputErrors();
        foreach (var (field, message) in WebhookRules.Check(request.Url, request.EventTypes))
        {
            errors.Add(field, message);
        }

        if (!caller.IsStaff && request.EventTypes?.FirstOrDefault(WebhookEventTypes.IsInternal) is { } internalType)
        {
            errors.Add("eventTypes", $"'{internalType}' is internal to the service provider.");
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        var created = await Hooks(grains, id).Subscribe(request.Url!, [.. request.EventTypes!], request.Description);
        return TypedResults.Created($"/api/v1/customers/{id}/webhooks/{created.Webhook.WebhookId}", created);
    }

    private static async Task<Results<Ok<WebhookSubscriptionView>, ValidationProblem, ProblemHttpResult>> SetEnabled(
        string id, string webhookId, WebhookPatchRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (caller, refused) = await Access(id, user, grains, manage: true);
        if (refused is not null)
        {
            return refused;
        }

        if (request.Enabled is not { } enabled)
        {
            return Problems.Invalid("enabled", "Say whether the webhook is enabled: {\"enabled\": true} or false.");
        }

        if (!await Visible(caller, grains, id, webhookId))
        {
            return Problems.NotFound($"Webhook '{webhookId}'");
        }

        return await Hooks(grains, id).SetEnabled(webhookId, enabled) is { } view ? TypedResults.Ok(view) : Problems.NotFound($"Webhook '{webhookId}'");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Remove(string id, string webhookId, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (caller, refused) = await Access(id, user, grains, manage: true);
        if (refused is not null)
        {
            return refused;
        }

        return await Visible(caller, grains, id, webhookId) && await Hooks(grains, id).Remove(webhookId)
            ? TypedResults.NoContent()
            : Problems.NotFound($"Webhook '{webhookId}'");
    }

    private static async Task<Results<Ok<WebhookAttemptsPage>, ProblemHttpResult>> Deliveries(string id, ClaimsPrincipal user, IGrainFactory grains, int? page, int? pageSize)
    {
        var (caller, refused) = await Access(id, user, grains, manage: false);
        if (refused is not null)
        {
            return refused;
        }

        var size = Math.Clamp(pageSize ?? 50, 1, 200);
        var number = Math.Max(page ?? 1, 1);
        var all = (await Hooks(grains, id).GetAttempts(0, int.MaxValue)).Items.Where(a => Sees(caller, a.EventType)).ToList();
        return TypedResults.Ok(new WebhookAttemptsPage([.. all.Skip((number - 1) * size).Take(size)], all.Count, number, size));
    }

    private static async Task<Results<Ok<ImmutableArray<WebhookDeliveryView>>, ProblemHttpResult>> Pending(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (caller, refused) = await Access(id, user, grains, manage: false);
        return refused ?? (Results<Ok<ImmutableArray<WebhookDeliveryView>>, ProblemHttpResult>)TypedResults.Ok(
            (await Hooks(grains, id).GetPending()).Where(d => Sees(caller, d.EventType)).ToImmutableArray());
    }

    private static async Task<Results<Ok<ImmutableArray<WebhookDeliveryView>>, ProblemHttpResult>> DeadLetters(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (caller, refused) = await Access(id, user, grains, manage: false);
        return refused ?? (Results<Ok<ImmutableArray<WebhookDeliveryView>>, ProblemHttpResult>)TypedResults.Ok(
            (await Hooks(grains, id).GetDeadLetters()).Where(d => Sees(caller, d.EventType)).ToImmutableArray());
    }

    private static async Task<Results<Accepted<WebhookDeliveryView>, ProblemHttpResult>> Redeliver(string id, string deliveryId, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (caller, refused) = await Access(id, user, grains, manage: true);
        if (refused is not null)
        {
            return refused;
        }

        var hooks = Hooks(grains, id);
        var dead = (await hooks.GetDeadLetters()).FirstOrDefault(d => d.DeliveryId == deliveryId && Sees(caller, d.EventType));
        return dead is not null && await hooks.Redeliver(deliveryId) is { } queued
            ? TypedResults.Accepted($"/api/v1/customers/{id}/webhooks/pending", queued)
            : Problems.NotFound($"Dead letter '{deliveryId}'");
    }

    private static async Task<Results<Ok<RuleSecretResponse>, ProblemHttpResult>> RotateRuleSecret(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await CustomersApi.Managed(id, user, grains) is { } refused)
        {
            return refused;
        }

        return TypedResults.Ok(new RuleSecretResponse(await Hooks(grains, id).RotateRuleSecret()));
    }

    /// <summary>Not found when the caller may not read the customer; forbidden when it may read but not manage.</summary>
    private static async Task<(Caller Caller, ProblemHttpResult? Refused)> Access(string id, ClaimsPrincipal user, IGrainFactory grains, bool manage)
    {
        var caller = Caller.From(user);
        if (await SlaReads.CustomerAsync(grains, caller, id) is null)
        {
            return (caller, Problems.NotFound($"Customer '{id}'"));
        }

        var manages = caller.ManagesContracts || caller.IsOwnCustomer(id);
        return (caller, manage && !manages ? Problems.Forbidden("Webhooks are managed by admins, managers and the customer's own users.") : null);
    }

    private static bool Sees(Caller caller, WebhookSubscriptionView webhook) => caller.IsStaff || !webhook.IsInternal;

    private static bool Sees(Caller caller, string eventType) => caller.IsStaff || !WebhookEventTypes.IsInternal(eventType);

    private static async Task<bool> Visible(Caller caller, IGrainFactory grains, string id, string webhookId)
        => (await Hooks(grains, id).GetSubscriptions()).Any(s => s.WebhookId == webhookId && Sees(caller, s));

    private static IWebhookGrain Hooks(IGrainFactory grains, string id) => grains.GetGrain<IWebhookGrain>(id);
}
