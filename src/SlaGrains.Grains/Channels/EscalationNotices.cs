using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain.Notifications;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Grains.Channels;

/// <summary>
/// Turns an escalation's notify targets into channel messages: <c>user:x</c>, <c>role:r</c> (a customer's own users for
/// <c>role:customer</c>) and <c>team:t</c> reach each such user as their notification preferences say (by default an
/// email to those who have an address; see <see cref="PersonalNotices"/>); <c>slack:&lt;url&gt;</c>
/// and <c>teams:&lt;url&gt;</c> a card to that webhook; an <i>escalate to management</i> rule notifies the managers. Each
/// message's id is <c>esc:{escalation id}:{channel}:{recipient}</c>, so the same escalation handed over again (a retry,
/// a reactivation, a silo failure) queues nothing twice and a person named by two rules gets one email.
/// </summary>
public static class EscalationNotices
{
    /// <summary>What the escalation raised for a breach says when the customer has no rules: the managers are told by email.</summary>
    public const string DefaultAction = "notify role:manager (default: no escalation rules)";

    /// <summary>True for the rules whose action reaches people: notify, and escalate to management (which tells the managers).</summary>
    public static bool Reaches(EscalationRule rule) => rule?.Action is EscalationActionKind.Notify or EscalationActionKind.EscalateToManagement;

    /// <summary>The targets <paramref name="rules"/> notify, in rule order.</summary>
    public static ImmutableArray<string> Targets(IEnumerable<EscalationRule> rules)
        => [.. rules.Where(Reaches).Select(r => r.Action == EscalationActionKind.EscalateToManagement ? "role:manager" : r.Target)];

    /// <summary>Queues the messages for <paramref name="escalation"/>'s <paramref name="targets"/>; returns how many were new.</summary>
    public static async Task<int> QueueAsync(IGrainFactory grains, IServiceProvider services, EscalationView escalation, IReadOnlyList<string> targets)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(escalation);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count == 0)
        {
            return 0;
        }

        var users = await grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key).ListUsers();
        return await grains.QueueAsync(Route(escalation, targets, users, await SubjectOf(services, escalation.Alert.TicketId)));
    }

    /// <summary>The messages for <paramref name="targets"/> among <paramref name="users"/> that go out on their own (pure; digest lines aside).</summary>
    public static ImmutableArray<OutboundMessage> Messages(EscalationView escalation, IReadOnlyList<string> targets, IReadOnlyList<UserAccount> users, string? subject)
        => Route(escalation, targets, users, subject).Messages;

    /// <summary>
    /// What <paramref name="escalation"/> sends (pure): a card to each Slack/Teams target a rule names, and for each
    /// person the targets name, what their preferences say — kind <see cref="NoticeKind.Breach"/> for the default
    /// breach notice, <see cref="NoticeKind.Escalation"/> for a breach that matched rules, <see cref="NoticeKind.Warning"/>
    /// for a warning; urgent when a P1 ticket breached. Planned at the escalation's raise time, so the same escalation
    /// handed over again plans the same sends.
    /// </summary>
    public static RoutedNotices Route(EscalationView escalation, IReadOnlyList<string> targets, IReadOnlyList<UserAccount> users, string? subject)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(users);
        var alert = escalation.Alert;
        var messages = new Dictionary<string, OutboundMessage>(StringComparer.Ordinal);
        var people = new List<UserAccount>();
        foreach (var target in targets)
        {
            if (ChannelTargets.Parse(target) is { } channel)
            {
                if (WebhookRules.IsUrl(channel.Url))
                {
                    var id = $"esc:{escalation.EscalationId}:{OutboxKeys.Of(channel.Channel)}:{Hash(channel.Url)}";
                    messages.TryAdd(id, new OutboundMessage(id, channel.Channel, channel.Url, MessageTemplates.EscalationRaised, Model(escalation, subject, null), alert.CustomerId));
                }

                continue;
            }

            // A customer's user hears only of their own customer's tickets, whatever a rule names.
            people.AddRange(Recipients(users, target, alert.CustomerId).Where(u => u.Role != UserRole.Customer || u.CustomerId == alert.CustomerId));
        }

        var kind = !escalation.Actions.IsDefaultOrEmpty && escalation.Actions.Contains(DefaultAction) ? NoticeKind.Breach
            : alert.IsBreach ? NoticeKind.Escalation
            : NoticeKind.Warning;
        var urgent = alert.IsBreach && alert.Priority == TicketPriority.P1;
        var line = new NoticeLine(
            $"esc:{escalation.EscalationId}",
            kind,
            escalation.RaisedAt,
            $"{(alert.IsBreach ? "SLA breach" : $"SLA warning ({alert.Percent} %)")}: {alert.TicketId} ({alert.Priority.ToString().ToUpperInvariant()}){(subject is { Length: > 0 } s ? $" — {s}" : "")}",
            $"{alert.Metric} of {alert.CustomerId}'s ticket {alert.TicketId}, due {alert.DueAt:uuuu-MM-dd HH:mm} UTC.",
            $"tickets/{Uri.EscapeDataString(alert.TicketId)}",
            alert.CustomerId);
        var personal = PersonalNotices.Route(line.LineId, kind, urgent, line, MessageTemplates.EscalationRaised, u => Model(escalation, subject, u.UserName), people, escalation.RaisedAt);
        foreach (var message in personal.Messages)
        {
            messages.TryAdd(message.MessageId, message);
        }

        return new RoutedNotices([.. messages.Values], personal.DigestLines);
    }

    /// <summary>The users whom <paramref name="target"/> names (their preferences decide how each is reached).</summary>
    public static IEnumerable<UserAccount> Recipients(IReadOnlyList<UserAccount> users, string target, string customerId)
    {
        ArgumentNullException.ThrowIfNull(users);
        var text = target?.Trim() ?? string.Empty;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = colon > 0 ? text[..colon].Trim().ToLowerInvariant() : string.Empty;
        var name = colon > 0 ? text[(colon + 1)..].Trim() : text;
        return kind switch
        {
            "user" => users.Where(u => UserNames.Key(u.UserName) == UserNames.Key(name)),
            "team" => users.Where(u => u.Role != UserRole.Customer && string.Equals(u.Team, name, StringComparison.OrdinalIgnoreCase)),
            "role" when Enum.TryParse<UserRole>(name, ignoreCase: true, out var role) && Enum.IsDefined(role) =>
                users.Where(u => u.Role == role && (role != UserRole.Customer || u.CustomerId == customerId)),
            _ => [],
        };
    }

    private static string Model(EscalationView escalation, string? subject, string? recipient)
    {
        var alert = escalation.Alert;
        return MessageTemplates.Serialize(new EscalationNoticeModel(
            escalation.EscalationId,
            alert.TicketId,
            alert.CustomerId,
            subject,
            System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(alert.Metric.ToString()),
            alert.Percent,
            alert.Priority.ToString().ToUpperInvariant(),
            alert.DueAt,
            escalation.RaisedAt,
            recipient,
            escalation.Actions.IsDefault ? [] : escalation.Actions));
    }

    /// <summary>The ticket's subject from the <c>tickets</c> table, when there is one (a missing subject only makes the mail plainer).</summary>
    private static async Task<string?> SubjectOf(IServiceProvider services, string ticketId)
    {
        if (services?.GetService<ITicketReadModel>() is not { } tickets)
        {
            return null;
        }

        try
        {
            return (await tickets.FindAsync(ticketId))?.Subject;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return null;
        }
    }

    private static string Hash(string url) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.Trim())))[..24];
}
