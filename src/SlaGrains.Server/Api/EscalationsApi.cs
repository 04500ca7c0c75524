using SlaGrains.Application.Escalations;
using SlaGrains.Contracts.Accounts;
using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Domain.Tickets;

using SlaGrains.Ui.Services;

namespace SlaGrains.Server.Api;

/// <summary>
/// An escalation rule: on a metric reaching <c>percent</c> of its target (100 = breach) do <c>action</c> (notify a
/// role/user, reassign to a user/team, escalate to management, call a webhook URL) with <c>target</c>, optionally
/// only for one priority. The id is generated when omitted.
/// </summary>
public sealed record EscalationRuleInput(string? Id, SlaMetric Metric, int Percent, EscalationActionKind Action, string? Target, TicketPriority? OnlyPriority);

/// <summary>Names the escalation to acknowledge.</summary>
public sealed record AcknowledgeRequest(string? EscalationId);

/// <summary>
/// A page of the escalation inbox, newest first: pass <see cref="NextCursor"/> as <c>cursor</c> for the next page (null
/// on the last). <see cref="Total"/> counts the matches on the first page only, up to 10,000: <see cref="TotalIsExact"/>
/// is false when more match.
/// </summary>
public sealed record EscalationPage(IReadOnlyList<EscalationView> Items, long? Total, string? NextCursor, int PageSize, bool TotalIsExact = true);

/// <summary>Escalation rules per customer; the inbox across customers; acknowledgements.</summary>
internal static class EscalationsApi
{
    public static void MapEscalationsApi(this RouteGroupBuilder api)
    {
        var rules = api.MapGroup("/customers/{id}/escalation-rules").WithTags("Escalations");
        rules.MapGet("/", GetRules).WithSummary("The customer's escalation rules (staff).");
        rules.MapPut("/", ReplaceRules).WithSummary("Replaces the customer's escalation rules (admins and managers).");
        rules.MapPost("/", AddRule).WithSummary("Adds one escalation rule (admins and managers).");
        rules.MapDelete("/{ruleId}", DeleteRule).WithSummary("Removes one escalation rule (admins and managers).");

        var inbox = api.MapGroup("/escalations").WithTags("Escalations");
        inbox.MapGet("/", Inbox).Produces<EscalationPage>().WithSummary("Escalations across customers, newest first (filters: customer, acknowledged, metric; keyset pages: cursor). Staff only.");
        api.MapPost("/customers/{id}/escalations/acknowledge", Acknowledge).WithTags("Escalations")
            .WithSummary("Acknowledges an escalation (staff); the body names it: {\"escalationId\": \"…\"} (ids contain '/').");
    }

    private static async Task<Results<Ok<ImmutableArray<EscalationRule>>, ProblemHttpResult>> GetRules(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var caller = Caller.From(user);
        if (await SlaReads.CustomerAsync(grains, caller, id) is null)
        {
            return Problems.NotFound($"Customer '{id}'");
        }

        return caller.IsStaff ? TypedResults.Ok(await grains.GetGrain<IEscalationGrain>(id).GetRules()) : Problems.Forbidden("Escalation rules are internal to the service provider.");
    }

    private static async Task<Results<Ok<ImmutableArray<EscalationRule>>, ValidationProblem, ProblemHttpResult>> ReplaceRules(
        string id, List<EscalationRuleInput> request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await CustomersApi.Managed(id, user, grains) is { } refused)
        {
            return refused;
        }

        var errors = new InputErrors();
        var rules = request.Select((r, i) => Rule(r, $"$[{i}]", errors)).ToImmutableArray();
        if (rules.GroupBy(r => r.RuleId).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            errors.Add("$", $"Rule id '{twice.Key}' is used twice.");
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        await grains.GetGrain<IEscalationGrain>(id).SetRules(rules);
        return TypedResults.Ok(await grains.GetGrain<IEscalationGrain>(id).GetRules());
    }

    private static async Task<Results<Created<EscalationRule>, ValidationProblem, ProblemHttpResult>> AddRule(
        string id, EscalationRuleInput request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await CustomersApi.Managed(id, user, grains) is { } refused)
        {
            return refused;
        }

        var errors = new InputErrors();
        var rule = Rule(request, "$", errors);
        var grain = grains.GetGrain<IEscalationGrain>(id);
        var existing = await grain.GetRules();
        if (existing.Any(r => r.RuleId == rule.RuleId))
        {
            return Problems.Conflict($"Rule '{rule.RuleId}' already exists.");
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        await grain.SetRules(existing.Add(rule));
        return TypedResults.Created($"/api/v1/customers/{id}/escalation-rules/{rule.RuleId}", rule);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteRule(string id, string ruleId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await CustomersApi.Managed(id, user, grains) is { } refused)
        {
            return refused;
        }

        var grain = grains.GetGrain<IEscalationGrain>(id);
        var existing = await grain.GetRules();
        if (existing.All(r => r.RuleId != ruleId))
        {
            return Problems.NotFound($"Rule '{ruleId}'");
        }

        await grain.SetRules(existing.RemoveAll(r => r.RuleId == ruleId));
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Inbox(
        ClaimsPrincipal user, EscalationInbox inbox, string? customer, bool? acknowledged, SlaMetric? metric, string? cursor, int? pageSize)
    {
        var page = await inbox.List(Caller.From(user), customer, acknowledged, metric, cursor, pageSize);
        return page.Succeeded
            ? TypedResults.Ok(new EscalationPage(page.Value.Items, page.Value.Total, page.Value.NextCursor?.ToString(), pageSize ?? 50, page.Value.TotalIsExact))
            : ApiResults.Problem(page.Failure);
    }

    private static async Task<IResult> Acknowledge(string id, AcknowledgeRequest request, ClaimsPrincipal user, EscalationInbox inbox)
        => ApiResults.Ok(await inbox.Acknowledge(Caller.From(user), id, request.EscalationId));

    private static EscalationRule Rule(EscalationRuleInput r, string path, InputErrors errors)
    {
        if (r.Percent is < 1 or > 100)
        {
            errors.Add($"{path}.percent", "A threshold is a percent of the target in 1–100 (100 is the breach).");
        }

        if (string.IsNullOrWhiteSpace(r.Target))
        {
            errors.Add($"{path}.target", "A rule needs a target: a role or user to notify, a user/team to reassign to, or a webhook URL.");
        }
        else if (r.Action == EscalationActionKind.Webhook && !WebhookRules.IsUrl(r.Target))
        {
            errors.Add($"{path}.target", "A webhook target is an absolute http(s) URL.");
        }

        return new EscalationRule(string.IsNullOrWhiteSpace(r.Id) ? $"rule-{Guid.NewGuid():N}"[..13] : r.Id.Trim(), r.Metric, r.Percent, r.Action, r.Target?.Trim() ?? string.Empty, r.OnlyPriority);
    }
}
