using System.Collections.Immutable;
using System.Security.Claims;
using SlaGrains.Application.Credits;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Credits;
using SlaGrains.Contracts.Customers;
using SlaGrains.Server.Security;

namespace SlaGrains.Server.Api;

/// <summary>Credit notices, disputes and the managers' credit trends: HTTP over the application layer's credit commands and queries.</summary>
internal static class CreditsApi
{
    public static void MapCreditsApi(this RouteGroupBuilder api)
    {
        var customers = api.MapGroup("/customers/{id}").WithTags("Credits");
        customers.MapGet("/notices", async (string id, ClaimsPrincipal user, CreditQueries queries) => ApiResults.Ok(await queries.Notices(Caller.From(user), id)))
            .Produces<ImmutableArray<CreditNotice>>().WithSummary("The customer's credit notices (one per month that missed its commitment), newest first.");
        customers.MapPost("/notices/{noticeId}/read", async (string id, string noticeId, ClaimsPrincipal user, CreditCommands commands) => ApiResults.Ok(await commands.MarkNoticeRead(Caller.From(user), id, noticeId)))
            .Produces<CreditNotice>().WithSummary("The customer marks a notice read.");
        customers.MapGet("/disputes", async (string id, ClaimsPrincipal user, CreditQueries queries) => ApiResults.Ok(await queries.Disputes(Caller.From(user), id)))
            .Produces<ImmutableArray<CreditDisputeView>>().WithSummary("The customer's disputes with their evidence and audit trail, newest first.");
        customers.MapPost("/disputes", File)
            .Produces<CreditDisputeView>(StatusCodes.Status201Created).WithSummary("The customer disputes a closed month's availability (once per month).");
        customers.MapPost("/disputes/{disputeId}/resolve", async (string id, string disputeId, DisputeRulingInput request, ClaimsPrincipal user, CreditCommands commands) =>
                ApiResults.Ok(await commands.ResolveDispute(Caller.From(user), id, disputeId, request)))
            .Produces<CreditDisputeView>().WithSummary("A manager resolves a dispute; the month's credit is adjusted (admins and managers).");
        api.MapPost("/credits/{customerId}/{month}/applied", async (string customerId, string month, CreditAppliedInput request, ClaimsPrincipal user, CreditCommands commands) =>
                ApiResults.Ok(await commands.ApplyCredit(Caller.From(user), customerId, month, request)))
            .AcceptsKeys(ApiKeyScope.Integration, ApiKeyScope.Write, ApiKeyScope.Admin)
            .AcceptsRestrictedKeys()
            .Produces<CreditEntry>().WithTags("Credits")
            .WithSummary("Billing writes back that the month's (yyyy-MM) credit went on an invoice; the same invoice again changes nothing, another is 409 (admins, managers, integration keys).");
        api.MapGet("/credits/trends", async (ClaimsPrincipal user, CreditQueries queries) => ApiResults.Ok(await queries.Trends(Caller.From(user))))
            .Produces<CreditTrendsView>().WithTags("Credits").WithSummary("Credits per month across customers and the 3-month trend, per currency (admins and managers).");
    }

    private static async Task<IResult> File(string id, DisputeInput request, ClaimsPrincipal user, CreditCommands commands)
    {
        var result = await commands.FileDispute(Caller.From(user), id, request);
        return result.Succeeded
            ? TypedResults.Created($"/api/v1/customers/{id}/disputes/{result.Value.DisputeId}", result.Value)
            : ApiResults.Problem(result.Failure);
    }
}
