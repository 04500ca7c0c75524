using System.Collections.Immutable;
using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Network;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Application.Escalations;

/// <summary>
/// An escalation rule: on a metric reaching <c>percent</c> of its target (100 = breach) do <c>action</c> (notify a
/// role/user, reassign to a user/team, escalate to management, call a webhook URL) with <c>target</c>, optionally
/// only for one priority. The id is generated when omitted.
/// </summary>
public sealed record EscalationRuleInput(string? Id, SlaMetric? Metric, int? Percent, EscalationActionKind? Action, string? Target, TicketPriority? OnlyPriority);

/// <summary>
/// A customer's escalation rules, for the API and the customer editor alike: the service provider's staff read them
/// (they are internal: a customer's users are refused), admins and managers change them.
/// </summary>
[ApplicationService]
public sealed class EscalationRules(IGrainFactory grains, CustomerDirectory customers, CustomerCommands customerCommands, OutboundCheck outbound)
{
    /// <summary>Most rules one customer has.</summary>
    public const int MaxRules = 100;

    /// <summary>The customer's rules (staff).</summary>
    public async Task<Result<ImmutableArray<EscalationRule>>> Get(Caller caller, string customerId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await customers.FindAsync(caller, customerId) is null)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        return caller.IsStaff ? await Grain(customerId).GetRules() : Failure.Forbidden("Escalation rules are internal to the service provider.");
    }

    /// <summary>Replaces the customer's rules (admins and managers); field names are JSON paths from <c>$</c>.</summary>
    public async Task<Result<ImmutableArray<EscalationRule>>> Replace(Caller caller, string customerId, IReadOnlyList<EscalationRuleInput?> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (await customerCommands.Managed(caller, customerId) is null)
        {
            return await customerCommands.Refusal(caller, customerId);
        }

        var errors = new InputErrors();
        if (input.Count > MaxRules)
        {
            return Failure.Invalid("$", $"A customer has at most {MaxRules} escalation rules.");
        }

        var rules = input.Select((r, i) => Rule(r, $"$[{i}]", errors)).ToImmutableArray();
        if (rules.GroupBy(r => r.RuleId).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            errors.Add("$", $"Rule id '{twice.Key}' is used twice.");
        }

        for (var i = 0; i < rules.Length; i++)
        {
            await CheckWebhookTarget(rules[i], $"$[{i}]", errors);
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var grain = Grain(customerId);
        using (Actor.Is(caller))
        {
            if (await grain.SetRules(rules) is { } refused)
            {
                return Failure.Rejected(refused);
            }
        }

        return await grain.GetRules();
    }

    /// <summary>Adds one rule (admins and managers); a rule id the customer has already is a conflict.</summary>
    public async Task<Result<EscalationRule>> Add(Caller caller, string customerId, EscalationRuleInput? input)
    {
        if (await customerCommands.Managed(caller, customerId) is null)
        {
            return await customerCommands.Refusal(caller, customerId);
        }

        var errors = new InputErrors();
        var rule = Rule(input, "$", errors);
        await CheckWebhookTarget(rule, "$", errors);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var grain = Grain(customerId);
        var existing = await grain.GetRules();
        if (existing.Any(r => r.RuleId == rule.RuleId))
        {
            return Failure.Conflict($"Rule '{rule.RuleId}' already exists.");
        }

        if (existing.Length >= MaxRules)
        {
            errors.Add("$", $"A customer has at most {MaxRules} escalation rules.");
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        // Read, add, write: the grain takes whole rule sets, so two additions racing for one customer may keep only
        // one of them (an admin's form, not a hot path).
        using var actor = Actor.Is(caller);
        if (await grain.SetRules(existing.Add(rule)) is { } refused)
        {
            return Failure.Rejected(refused);
        }

        return rule;
    }

    /// <summary>Removes one rule (admins and managers); an unknown rule is not found.</summary>
    public async Task<Result<EscalationRule>> Remove(Caller caller, string customerId, string ruleId)
    {
        if (await customerCommands.Managed(caller, customerId) is null)
        {
            return await customerCommands.Refusal(caller, customerId);
        }

        var grain = Grain(customerId);
        var existing = Bounds.IsId(ruleId) ? await grain.GetRules() : [];
        if (existing.FirstOrDefault(r => r.RuleId == ruleId) is not { } removed)
        {
            return Failure.NotFound($"Rule '{ruleId}'");
        }

        using var actor = Actor.Is(caller);
        if (await grain.SetRules(existing.RemoveAll(r => r.RuleId == ruleId)) is { } refused)
        {
            return Failure.Rejected(refused);
        }

        return removed;
    }

    private IEscalationGrain Grain(string customerId) => grains.GetGrain<IEscalationGrain>(customerId);

    /// <summary>A webhook rule's URL is held to the outbound address rules when saved, as a customer's webhooks are.</summary>
    private async Task CheckWebhookTarget(EscalationRule rule, string path, InputErrors errors)
    {
        if (rule.Action == EscalationActionKind.Webhook && WebhookRules.IsUrl(rule.Target) && await outbound.ProblemAsync(rule.Target) is { } refused)
        {
            errors.Add($"{path}.target", refused);
        }
    }

    /// <summary>The rule an input describes (with a generated id when none is given); its problems go to <paramref name="errors"/> under <paramref name="path"/>.</summary>
    private static EscalationRule Rule(EscalationRuleInput? r, string path, InputErrors errors)
    {
        if (r is null)
        {
            errors.Add(path, "A rule is {\"metric\": \"resolution\", \"percent\": 75, \"action\": \"notify\", \"target\": \"team-lead\"}.");
            return new EscalationRule(NewId(), SlaMetric.Resolution, 0, EscalationActionKind.Notify, string.Empty);
        }

        var id = Bounds.Blank(r.Id);
        if (id is not null && !Bounds.IsId(id))
        {
            errors.Add($"{path}.id", Bounds.IdRule("A rule id"));
        }

        Bounds.CheckEnum(errors, $"{path}.metric", r.Metric, required: true, "A rule needs a metric: firstResponse, resolution or nextReply.");
        if (r.Percent is not (>= 1 and <= 100))
        {
            errors.Add($"{path}.percent", "A threshold is a percent of the target in 1–100 (100 is the breach).");
        }

        Bounds.CheckEnum(errors, $"{path}.action", r.Action, required: true, "A rule needs an action: notify, reassign, escalateToManagement or webhook.");
        Bounds.CheckEnum(errors, $"{path}.onlyPriority", r.OnlyPriority, required: false, "A priority is p1, p2, p3 or p4.");

        var target = Bounds.Blank(r.Target);
        if (target is null)
        {
            errors.Add($"{path}.target", "A rule needs a target: a role or user to notify, a user/team to reassign to, or a webhook URL.");
        }
        else if (r.Action == EscalationActionKind.Webhook && !WebhookRules.IsUrl(target))
        {
            errors.Add($"{path}.target", "A webhook target is an absolute http(s) URL.");
        }
        else if (target.Length > (r.Action == EscalationActionKind.Webhook ? 2_000 : Bounds.NameLength) || !Bounds.IsPrintable(target))
        {
            errors.Add($"{path}.target", $"A target has at most {Bounds.NameLength} characters (a URL {2_000:N0}) and no control characters.");
        }

        return new EscalationRule(id ?? NewId(), r.Metric ?? SlaMetric.Resolution, r.Percent ?? 0, r.Action ?? EscalationActionKind.Notify, target ?? string.Empty, r.OnlyPriority);
    }

    private static string NewId() => $"rule-{Guid.NewGuid():N}"[..13];
}
