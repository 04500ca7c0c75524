using System.Collections.Immutable;
using System.Security.Claims;
using SlaGrains.Application.Webhooks;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Webhooks;

namespace SlaGrains.Server.Api;

/// <summary>Enables or disables a webhook.</summary>
public sealed record WebhookPatchRequest(bool? Enabled);

/// <summary>The new secret escalation rules' webhook URLs are signed with, shown this once.</summary>
public sealed record RuleSecretResponse(string Secret);

/// <summary>
/// A customer's webhooks: HTTP over the application layer's webhook commands and queries, which say who may do what
/// (anyone who may read the customer reads; admins, managers and the customer's own users and keys manage; the
/// internal <c>escalation.raised</c> and the rule secret are the service provider's).
/// </summary>
internal static class WebhooksApi
{
    public static void MapWebhooksApi(this RouteGroupBuilder api)
    {
        var hooks = api.MapGroup("/customers/{id}/webhooks").WithTags("Webhooks");
        hooks.MapGet("/", async (string id, ClaimsPrincipal user, WebhookQueries queries) => ApiResults.Ok(await queries.List(Caller.From(user), id)))
            .Produces<ImmutableArray<WebhookSubscriptionView>>().WithSummary("The customer's webhook subscriptions (never their secrets).");
        hooks.MapPost("/", Create)
            .Produces<CreatedWebhook>(StatusCodes.Status201Created).WithSummary("Creates a webhook subscription; the response holds its signing secret, shown this once.");
        hooks.MapPatch("/{webhookId}", async (string id, string webhookId, WebhookPatchRequest request, ClaimsPrincipal user, WebhookCommands commands) =>
                ApiResults.Ok(await commands.SetEnabled(Caller.From(user), id, webhookId, request.Enabled)))
            .Produces<WebhookSubscriptionView>().WithSummary("Enables or disables a webhook: {\"enabled\": false}. Deliveries already queued still run.");
        hooks.MapDelete("/{webhookId}", Remove).Produces(StatusCodes.Status204NoContent).WithSummary("Deletes a webhook with its queued deliveries and dead letters.");
        hooks.MapGet("/deliveries", async (string id, ClaimsPrincipal user, WebhookQueries queries, int? page, int? pageSize) => ApiResults.Ok(await queries.Deliveries(Caller.From(user), id, page, pageSize)))
            .Produces<WebhookAttemptsPage>().WithSummary("The delivery log: one entry per attempt, newest first (paged).");
        hooks.MapGet("/pending", async (string id, ClaimsPrincipal user, WebhookQueries queries) => ApiResults.Ok(await queries.Pending(Caller.From(user), id)))
            .Produces<ImmutableArray<WebhookDeliveryView>>().WithSummary("Deliveries waiting for their next attempt.");
        hooks.MapGet("/dead-letters", async (string id, ClaimsPrincipal user, WebhookQueries queries) => ApiResults.Ok(await queries.DeadLetters(Caller.From(user), id)))
            .Produces<ImmutableArray<WebhookDeliveryView>>().WithSummary("Deliveries whose every attempt failed, newest first.");
        hooks.MapPost("/dead-letters/{deliveryId}/redeliver", Redeliver)
            .Produces<WebhookDeliveryView>(StatusCodes.Status202Accepted).WithSummary("Queues a dead letter for a new round of attempts, starting now.");
        hooks.MapPost("/rule-secret", RotateRuleSecret)
            .Produces<RuleSecretResponse>().WithSummary("A new secret for escalation rules' webhook URLs, shown this once (admins and managers).");
    }

    private static async Task<IResult> Create(string id, NewWebhookInput request, ClaimsPrincipal user, WebhookCommands commands)
    {
        var result = await commands.Subscribe(Caller.From(user), id, request);
        return result.Succeeded
            ? TypedResults.Created($"/api/v1/customers/{id}/webhooks/{result.Value.Webhook.WebhookId}", result.Value)
            : ApiResults.Problem(result.Failure);
    }

    private static async Task<IResult> Remove(string id, string webhookId, ClaimsPrincipal user, WebhookCommands commands)
    {
        var result = await commands.Remove(Caller.From(user), id, webhookId);
        return result.Succeeded ? TypedResults.NoContent() : ApiResults.Problem(result.Failure);
    }

    private static async Task<IResult> Redeliver(string id, string deliveryId, ClaimsPrincipal user, WebhookCommands commands)
    {
        var result = await commands.Redeliver(Caller.From(user), id, deliveryId);
        return result.Succeeded ? TypedResults.Accepted($"/api/v1/customers/{id}/webhooks/pending", result.Value) : ApiResults.Problem(result.Failure);
    }

    private static async Task<IResult> RotateRuleSecret(string id, ClaimsPrincipal user, WebhookCommands commands)
    {
        var result = await commands.RotateRuleSecret(Caller.From(user), id);
        return result.Succeeded ? TypedResults.Ok(new RuleSecretResponse(result.Value)) : ApiResults.Problem(result.Failure);
    }
}
