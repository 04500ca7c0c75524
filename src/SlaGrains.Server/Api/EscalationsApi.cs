using SlaGrains.Application.Escalations;
using SlaGrains.Contracts.Accounts;
using System.Collections.Immutable;
using System.Security.Claims;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Server.Api;

/// <summary>Names the escalation to acknowledge.</summary>
public sealed record AcknowledgeRequest(string? EscalationId);

/// <summary>Names the escalations to acknowledge at once: 1–200 ids as the inbox gives them.</summary>
public sealed record BulkAcknowledgeRequest(List<string?>? Ids);

/// <summary>
/// A page of the escalation inbox, newest first: pass <see cref="NextCursor"/> as <c>cursor</c> for the next page (null
/// on the last). <see cref="Total"/> counts the matches on the first page only, up to 1,000: <see cref="TotalIsExact"/>
/// is false when more match.
/// </summary>
public sealed record EscalationPage(IReadOnlyList<EscalationView> Items, long? Total, string? NextCursor, int PageSize, bool TotalIsExact = true);

/// <summary>Escalation rules per customer; the inbox across customers; acknowledgements.</summary>
internal static class EscalationsApi
{
    public static void MapEscalationsApi(this RouteGroupBuilder api)
    {
        var rules = api.MapGroup("/customers/{id}/escalation-rules").WithTags("Escalations");
        rules.MapGet("/", async (string id, ClaimsPrincipal user, EscalationRules service) => ApiResults.Ok(await service.Get(Caller.From(user), id)))
            .Produces<ImmutableArray<EscalationRule>>().WithSummary("The customer's escalation rules (staff).");
        rules.MapPut("/", async (string id, List<EscalationRuleInput?> request, ClaimsPrincipal user, EscalationRules service) => ApiResults.Ok(await service.Replace(Caller.From(user), id, request)))
            .Produces<ImmutableArray<EscalationRule>>().WithSummary("Replaces the customer's escalation rules (admins and managers).");
        rules.MapPost("/", AddRule).Produces<EscalationRule>(StatusCodes.Status201Created).WithSummary("Adds one escalation rule (admins and managers).");
        rules.MapDelete("/{ruleId}", async (string id, string ruleId, ClaimsPrincipal user, EscalationRules service) => await service.Remove(Caller.From(user), id, ruleId) is { Failure: { } failure }
                ? ApiResults.Problem(failure)
                : TypedResults.NoContent())
            .Produces(StatusCodes.Status204NoContent).WithSummary("Removes one escalation rule (admins and managers).");

        var inbox = api.MapGroup("/escalations").WithTags("Escalations");
        inbox.MapGet("/", Inbox).Produces<EscalationPage>().WithSummary("Escalations across customers, newest first (filters: customer, acknowledged, metric; keyset pages: cursor). Staff only.");
        inbox.MapPost("/acknowledge", AcknowledgeMany).Produces<IReadOnlyList<EscalationAcknowledgement>>()
            .WithSummary("Acknowledges up to 200 escalations (staff): {\"ids\": [\"…\"]}; answers per id acknowledged, alreadyAcknowledged or notFound.");
        api.MapPost("/customers/{id}/escalations/acknowledge", Acknowledge).WithTags("Escalations")
            .WithSummary("Acknowledges an escalation (staff); the body names it: {\"escalationId\": \"…\"} (ids contain '/').");
    }

    private static async Task<IResult> AddRule(string id, EscalationRuleInput request, ClaimsPrincipal user, EscalationRules service)
    {
        var added = await service.Add(Caller.From(user), id, request);
        return added.Succeeded
            ? TypedResults.Created($"/api/v1/customers/{id}/escalation-rules/{added.Value.RuleId}", added.Value)
            : ApiResults.Problem(added.Failure);
    }

    private static async Task<IResult> Inbox(
        ClaimsPrincipal user, EscalationInbox inbox, string? customer, bool? acknowledged, string? metric, string? cursor, int? pageSize)
    {
        // Metrics are written camelCase in JSON (firstResponse); a query string may use either case.
        SlaMetric? parsed = null;
        if (metric is not null)
        {
            if (!Enum.TryParse<SlaMetric>(metric, ignoreCase: true, out var m) || !Enum.IsDefined(m) || int.TryParse(metric, out _))
            {
                return Problems.Invalid("metric", "A metric is firstResponse, resolution or nextReply.");
            }

            parsed = m;
        }

        var page = await inbox.List(Caller.From(user), customer, acknowledged, parsed, cursor, pageSize);
        return page.Succeeded
            ? TypedResults.Ok(new EscalationPage(page.Value.Items, page.Value.Total, page.Value.NextCursor?.ToString(), pageSize ?? 50, page.Value.TotalIsExact))
            : ApiResults.Problem(page.Failure);
    }

    private static async Task<IResult> AcknowledgeMany(BulkAcknowledgeRequest? request, ClaimsPrincipal user, EscalationInbox inbox)
        => ApiResults.Ok(await inbox.AcknowledgeMany(Caller.From(user), request?.Ids));

    private static async Task<IResult> Acknowledge(string id, AcknowledgeRequest request, ClaimsPrincipal user, EscalationInbox inbox)
        => ApiResults.Ok(await inbox.Acknowledge(Caller.From(user), id, request.EscalationId));
}
