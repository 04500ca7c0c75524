using System.Collections.Immutable;
using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Network;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Domain.Escalations;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Application.Escalations;

/// <summary>
/// An escalation rule: on a metric reaching <c>percent</c> of its target (100 = breach) do <c>action</c> (notify a
/// role/user/team, reassign to a user/team, escalate to management, call a webhook URL) with <c>target</c>, optionally
/// only for one priority. The id is generated when omitted. The percent must be one the customer's policy warns at
/// (for <c>onlyPriority</c> when given) or 100; a notify or reassign target is resolved when saved and stored as
/// <c>user:name</c>, <c>team:name</c>, <c>role:manager</c> (notify only) or <c>team:name/user:name</c> (reassign only).
/// A notify rule may also name a Slack or Teams channel, <c>slack:&lt;incoming webhook URL&gt;</c> or
/// <c>teams:&lt;workflow webhook URL&gt;</c>, whose URL is held to the outbound address rules.
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

    /// <summary>
    /// Whom a rule of the customer may name, as a form offers it (admins and managers): every role
    /// (<c>role:manager</c>), then the teams (<c>team:network</c>) and staff users (<c>user:ana</c>) that exist now.
    /// </summary>
    public async Task<Result<ImmutableArray<string>>> Targets(Caller caller, string customerId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await customers.FindAsync(caller, customerId) is null)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        if (!caller.ManagesContracts)
        {
            return Failure.Forbidden("Escalation rules are managed by admins and managers.");
        }

        var staff = (await Context(customerId)).Staff;
        var teams = staff.Select(u => u.Team).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase);
        ImmutableArray<string> targets = [.. Roles.Select(r => $"role:{r}"), .. teams.Select(t => $"team:{t}"), .. staff.Select(u => $"user:{u.UserName}").Order(StringComparer.OrdinalIgnoreCase)];
        return targets;
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

        var context = await Context(customerId);
        var builder = rules.ToBuilder();
        for (var i = 0; i < rules.Length; i++)
        {
            await CheckWebhookTarget(rules[i], $"$[{i}]", errors);
            builder[i] = Resolve(rules[i], input[i]?.Action is not null, $"$[{i}]", context, errors);
        }

        rules = builder.ToImmutable();
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
        rule = Resolve(rule, input?.Action is not null, "$", await Context(customerId), errors);
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

    /// <summary>
    /// The problem with <paramref name="policy"/> for <paramref name="rules"/>: each rule whose warning percent the
    /// policy no longer warns at (for the rule's priority, or at any priority), keyed by the policy field it concerns.
    /// A policy change that would leave a rule unable to fire is refused, so a saved rule can always fire.
    /// </summary>
    internal static void CheckPolicyKeepsRules(string customerId, SlaPolicy policy, IReadOnlyCollection<TicketPriority> overridden, IEnumerable<EscalationRule> rules, InputErrors errors)
    {
        foreach (var rule in rules)
        {
            if (PercentProblem(customerId, policy, rule.Percent, rule.OnlyPriority) is null)
            {
                continue;
            }

            var field = rule.OnlyPriority is { } p
                ? $"{(overridden.Contains(p) ? "overrides" : "targets")}.{p.ToString().ToLowerInvariant()}.warnings"
                : "targets";
            var scope = rule.OnlyPriority is { } only ? $"{only} no longer warns at {rule.Percent} %" : $"no priority warns at {rule.Percent} % any more";
            errors.Add(field, $"Escalation rule '{rule.RuleId}' fires at {rule.Percent} % of {rule.Metric}, but with this policy {scope}: change or remove the rule first, or keep {rule.Percent} in the warnings.");
        }
    }

    /// <summary>Why a rule cannot fire at <paramref name="percent"/> under <paramref name="policy"/> (null: the default, 75 %, for every priority); null when it can.</summary>
    internal static string? PercentProblem(string customerId, SlaPolicy? policy, int percent, TicketPriority? onlyPriority)
    {
        if (percent == 100)
        {
            return null;
        }

        var warned = onlyPriority is { } only
            ? WarningsOf(policy, only)
            : Enum.GetValues<TicketPriority>().SelectMany(p => WarningsOf(policy, p)).Distinct().Order().ToArray();
        if (warned.Contains(percent))
        {
            return null;
        }

        var where = onlyPriority is { } priority ? $" for {priority}" : string.Empty;
        var percents = warned.Length == 0 ? "at no percent" : $"at {new WarningThresholds(warned)}";
        return $"Customer '{customerId}' warns{where} {percents}; a rule fires at one of those or at 100 (the breach).";
    }

    private static int[] WarningsOf(SlaPolicy? policy, TicketPriority priority)
        => [.. (policy?.For(priority).Warnings ?? WarningThresholds.Default).Percents];

    /// <summary>What a rule is checked against when saved: the customer's policy and the staff who can be named.</summary>
    private sealed record RuleContext(string CustomerId, SlaPolicy? Policy, ImmutableArray<UserAccount> Staff);

    private async Task<RuleContext> Context(string customerId)
    {
        var view = await grains.GetGrain<ICustomerGrain>(customerId).Get();
        var users = await grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key).ListUsers();
        return new RuleContext(customerId, view?.Policy, [.. users.Where(u => u.Role != UserRole.Customer)]);
    }

    /// <summary>
    /// The rule with its percent checked against the policy and its notify or reassign target resolved to the canonical
    /// prefixed form (only when an action was given: without one there is nothing to resolve against); problems go
    /// to <paramref name="errors"/> under <paramref name="path"/>.
    /// </summary>
    private static EscalationRule Resolve(EscalationRule rule, bool actionGiven, string path, RuleContext context, InputErrors errors)
    {
        if (rule.Percent is >= 1 and < 100 && PercentProblem(context.CustomerId, context.Policy, rule.Percent, rule.OnlyPriority) is { } problem)
        {
            errors.Add($"{path}.percent", problem);
        }

        if (!actionGiven || rule.Action is not (EscalationActionKind.Notify or EscalationActionKind.Reassign) || string.IsNullOrWhiteSpace(rule.Target))
        {
            return rule;
        }

        // A Slack or Teams channel: checked by CheckWebhookTarget, stored as slack:<url> or teams:<url>.
        if (rule.Action == EscalationActionKind.Notify && ChannelTargets.Parse(rule.Target) is { } channel)
        {
            return rule with { Target = (channel.Channel == ChannelKind.Slack ? ChannelTargets.SlackPrefix : ChannelTargets.TeamsPrefix) + channel.Url };
        }

        var parts = rule.Target.Split('/', StringSplitOptions.TrimEntries);
        var reassign = rule.Action == EscalationActionKind.Reassign;
        string? resolved;
        string? why;
        if (reassign && parts.Length == 2)
        {
            var (team, teamWhy) = ResolveOne(parts[0], context, reassign: true);
            var (user, userWhy) = ResolveOne(parts[1], context, reassign: true);
            // The domain's canonical form, the one the ticket reads back when the rule fires.
            resolved = Assignment.Parse(team) is { Team: { } t, User: null } && Assignment.Parse(user) is { Team: null, User: { } u }
                ? new Assignment(t, u).ToString()
                : null;
            why = teamWhy ?? userWhy ?? "A reassignment to a team and a user is team:<team>/user:<user>.";
        }
        else if (parts.Length == 1)
        {
            (resolved, why) = ResolveOne(parts[0], context, reassign);
        }
        else
        {
            (resolved, why) = (null, reassign
                ? "A reassignment names one user (user:ana), one team (team:network) or both (team:network/user:ana)."
                : "A notification names one user (user:ana), team (team:network) or role (role:manager).");
        }

        if (resolved is null)
        {
            errors.Add($"{path}.target", why!);
            return rule;
        }

        return rule with { Target = resolved };
    }

    private static readonly string[] Roles = ["admin", "manager", "technician"];

    /// <summary>One name: <c>user:x</c>, <c>team:x</c>, <c>role:x</c> (notify only), or a bare name that is exactly one of a user, a team or (notify) a role.</summary>
    private static (string? Resolved, string? Why) ResolveOne(string name, RuleContext context, bool reassign)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        var kind = colon > 0 ? name[..colon].Trim().ToLowerInvariant() : null;
        var bare = (colon > 0 ? name[(colon + 1)..] : name).Trim();
        var user = context.Staff.FirstOrDefault(u => UserNames.Key(u.UserName) == UserNames.Key(bare))?.UserName;
        var team = context.Staff.Select(u => u.Team).FirstOrDefault(t => t is not null && string.Equals(t, bare, StringComparison.OrdinalIgnoreCase));
        var role = reassign ? null : Roles.FirstOrDefault(r => string.Equals(r, bare, StringComparison.OrdinalIgnoreCase));
        var accepted = reassign ? "a user or team (user:ana, team:network, or team:network/user:ana)" : "a user, team or role (user:ana, team:network, role:manager)";
        return kind switch
        {
            "user" => user is not null ? ($"user:{user}", null) : (null, $"There is no user '{bare}' (customers' own users cannot be named)."),
            "team" => team is not null ? ($"team:{team}", null) : (null, $"There is no team '{bare}': a team exists once a user belongs to it."),
            "role" when !reassign => role is not null ? ($"role:{role}", null) : (null, $"There is no role '{bare}': roles are {string.Join(", ", Roles)}."),
            null when bare.Length == 0 => (null, $"The target names {accepted}."),
            null => new[] { user is null ? null : $"user:{user}", team is null ? null : $"team:{team}", role is null ? null : $"role:{role}" }.Where(x => x is not null).ToArray() switch
            {
                [var one] => (one, null),
                [] => (null, $"'{bare}' is no user, team{(reassign ? string.Empty : " or role")}: the target names {accepted}."),
                var several => (null, $"'{bare}' is ambiguous: say which, {string.Join(" or ", several)}."),
            },
            _ => (null, $"The target names {accepted}; '{kind}:' is not one of those."),
        };
    }

    /// <summary>
    /// A webhook rule's URL, and a notify rule's Slack or Teams URL, is held to the outbound address rules when saved,
    /// as a customer's webhooks are.
    /// </summary>
    private async Task CheckWebhookTarget(EscalationRule rule, string path, InputErrors errors)
    {
        if (rule.Action == EscalationActionKind.Webhook && WebhookRules.IsUrl(rule.Target) && await outbound.ProblemAsync(rule.Target) is { } refused)
        {
            errors.Add($"{path}.target", refused);
        }

        if (rule.Action == EscalationActionKind.Notify && ChannelTargets.Parse(rule.Target) is { } channel)
        {
            if (!WebhookRules.IsUrl(channel.Url))
            {
                errors.Add($"{path}.target", $"A {channel.Channel} target is {(channel.Channel == ChannelKind.Slack ? "slack" : "teams")}:<absolute https URL of the webhook>.");
            }
            else if (await outbound.ProblemAsync(channel.Url) is { } channelRefused)
            {
                errors.Add($"{path}.target", channelRefused);
            }
        }
    }

    /// <summary>The rule an input describes (with a generated id when none is given); its problems go to <paramref name="errors"/> under <paramref name="path"/>.</summary>
    private static EscalationRule Rule(EscalationRuleInput? r, string path, InputErrors errors)
    {
        if (r is null)
        {
            errors.Add(path, "A rule is {\"metric\": \"resolution\", \"percent\": 75, \"action\": \"notify\", \"target\": \"role:manager\"}.");
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
        else if (target.Length > (r.Action == EscalationActionKind.Webhook || ChannelTargets.Parse(target) is not null ? 2_000 : Bounds.NameLength) || !Bounds.IsPrintable(target))
        {
            errors.Add($"{path}.target", $"A target has at most {Bounds.NameLength} characters (a URL {2_000:N0}) and no control characters.");
        }

        return new EscalationRule(id ?? NewId(), r.Metric ?? SlaMetric.Resolution, r.Percent ?? 0, r.Action ?? EscalationActionKind.Notify, target ?? string.Empty, r.OnlyPriority);
    }

    private static string NewId() => $"rule-{Guid.NewGuid():N}"[..13];
}
