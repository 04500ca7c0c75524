using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Credits;
using SlaGrains.Contracts.Customers;
using SlaGrains.Domain;
using SlaGrains.Domain.Credits;
using SlaGrains.Ui.Services;

namespace SlaGrains.Server.Api;

/// <summary>
/// A customer's dispute of a closed month: the month (<c>yyyy-MM</c>), the availability the customer measured
/// (percent), and evidence as text and/or CSV of their own measured down intervals (<c>start,end</c> per line,
/// ISO-8601 instants, optional header).
/// </summary>
public sealed record DisputeRequest(YearMonth? Month, decimal? ClaimedAvailabilityPercent, string? Evidence, string? DownIntervalsCsv);

/// <summary>A manager's ruling: <c>accept</c> (the claim), <c>adjust</c> (to <c>availabilityPercent</c>) or <c>reject</c>
/// (ours stands), with a note (required to adjust or reject). A decided availability without a decision adjusts.</summary>
public sealed record ResolveDisputeRequest(DisputeVerdict? Decision, decimal? AvailabilityPercent, string? Note);

/// <summary>Credit notices, disputes and the managers' credit trends.</summary>
internal static class CreditsApi
{
    public static void MapCreditsApi(this RouteGroupBuilder api)
    {
        var customers = api.MapGroup("/customers/{id}").WithTags("Credits");
        customers.MapGet("/notices", Notices).WithSummary("The customer's credit notices (one per month that missed its commitment), newest first.");
        customers.MapPost("/notices/{noticeId}/read", MarkRead).WithSummary("The customer marks a notice read.");
        customers.MapGet("/disputes", ListDisputes).WithSummary("The customer's disputes with their evidence and audit trail, newest first.");
        customers.MapPost("/disputes", File).WithSummary("The customer disputes a closed month's availability (once per month).");
        customers.MapPost("/disputes/{disputeId}/resolve", Resolve).WithSummary("A manager resolves a dispute; the month's credit is adjusted (admins and managers).");
        api.MapGet("/credits/trends", Trends).WithTags("Credits").WithSummary("Credits per month across customers and the 3-month trend, per currency (admins and managers).");
    }

    private static async Task<Results<Ok<ImmutableArray<CreditNotice>>, ProblemHttpResult>> Notices(string id, ClaimsPrincipal user, IGrainFactory grains)
        => await SlaReads.CustomerAsync(grains, Caller.From(user), id) is not null
            ? TypedResults.Ok(await grains.GetGrain<ICustomerGrain>(id).GetNotices())
            : Problems.NotFound($"Customer '{id}'");

    private static async Task<Results<Ok<CreditNotice>, ProblemHttpResult>> MarkRead(string id, string noticeId, ClaimsPrincipal user, IGrainFactory grains)
    {
        var caller = Caller.From(user);
        if (await SlaReads.CustomerAsync(grains, caller, id) is null)
        {
            return Problems.NotFound($"Customer '{id}'");
        }

        if (!caller.IsOwnCustomer(id))
        {
            return Problems.Forbidden("A notice is marked read by the customer it was sent to.");
        }

        var result = await grains.GetGrain<ICustomerGrain>(id).MarkNoticeRead(noticeId, caller.Name);
        return result.Notice is { } notice ? TypedResults.Ok(notice) : Problems.Rejected(result.Rejection!);
    }

    private static async Task<Results<Ok<ImmutableArray<CreditDisputeView>>, ProblemHttpResult>> ListDisputes(string id, ClaimsPrincipal user, IGrainFactory grains)
        => await SlaReads.CustomerAsync(grains, Caller.From(user), id) is not null
            ? TypedResults.Ok(await grains.GetGrain<ICustomerGrain>(id).GetDisputes())
            : Problems.NotFound($"Customer '{id}'");

    private static async Task<Results<Created<CreditDisputeView>, ValidationProblem, ProblemHttpResult>> File(
        string id, DisputeRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var caller = Caller.From(user);
        if (await SlaReads.CustomerAsync(grains, caller, id) is null)
        {
            return Problems.NotFound($"Customer '{id}'");
        }

        if (!caller.IsOwnCustomer(id))
        {
            return Problems.Forbidden("Disputes are filed by the customer.");
        }

        var errors = new InputErrors();
        if (request.Month is null)
        {
            errors.Add("month", "The disputed month is required, e.g. 2026-03.");
        }

        if (request.ClaimedAvailabilityPercent is null)
        {
            errors.Add("claimedAvailabilityPercent", "The availability you measured is required, a percentage such as 99.5.");
        }

        var (intervals, csvError) = CustomerDowntimeCsv.Parse(request.DownIntervalsCsv);
        if (csvError is not null)
        {
            errors.Add("downIntervalsCsv", csvError);
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        var evidence = string.Join("\n\n", new[] { request.Evidence, request.DownIntervalsCsv }.Where(t => !string.IsNullOrWhiteSpace(t)));
        var result = await grains.GetGrain<ICustomerGrain>(id).FileDispute(
            new DisputeClaim(request.Month!.Value, request.ClaimedAvailabilityPercent!.Value, evidence, [.. intervals], caller.Name));
        if (result.Accepted)
        {
            return TypedResults.Created($"/api/v1/customers/{id}/disputes/{result.Dispute!.DisputeId}", result.Dispute);
        }

        return FieldOf(result.Rejection!) is { } field ? Problems.Invalid(field, result.Rejection!.Message) : Problems.Rejected(result.Rejection!);
    }

    private static async Task<Results<Ok<CreditDisputeView>, ValidationProblem, ProblemHttpResult>> Resolve(
        string id, string disputeId, ResolveDisputeRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var caller = Caller.From(user);
        if (await SlaReads.CustomerAsync(grains, caller, id) is null)
        {
            return Problems.NotFound($"Customer '{id}'");
        }

        if (!caller.ManagesContracts)
        {
            return Problems.Forbidden("Disputes are resolved by admins and managers.");
        }

        var decision = request.Decision ?? (request.AvailabilityPercent is null ? null : DisputeVerdict.Adjust);
        if (decision is null)
        {
            return Problems.Invalid("decision", "Say how the dispute is resolved: accept, adjust (with availabilityPercent) or reject.");
        }

        var result = await grains.GetGrain<ICustomerGrain>(id).ResolveDispute(disputeId, new DisputeRuling(decision.Value, request.AvailabilityPercent, request.Note, caller.Name));
        if (result.Accepted)
        {
            return TypedResults.Ok(result.Dispute!);
        }

        return FieldOf(result.Rejection!) is { } field ? Problems.Invalid(field, result.Rejection!.Message) : Problems.Rejected(result.Rejection!);
    }

    private static async Task<Results<Ok<CreditTrendsView>, ProblemHttpResult>> Trends(ClaimsPrincipal user, IGrainFactory grains)
        => Caller.From(user).ManagesContracts
            ? TypedResults.Ok(await grains.GetGrain<ICreditTrendsGrain>(ICreditTrendsGrain.Key).Get())
            : Problems.Forbidden("Credit trends are for admins and managers.");

    /// <summary>The customer's own people and keys (not staff, who see but do not speak for the customer).</summary>

    /// <summary>The request field a domain rejection of an input is about (answered as a 400 naming it); null for the rest.</summary>
    private static string? FieldOf(Rejection rejection) => rejection.Code switch
    {
        "invalid-claimed-availability" => "claimedAvailabilityPercent",
        "invalid-decided-availability" => "availabilityPercent",
        "invalid-note" => "note",
        _ => null,
    };
}
