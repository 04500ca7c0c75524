using System.Globalization;
using System.Text.Json;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Domain.Notifications;

namespace SlaGrains.Grains.Channels;

/// <summary>
/// The customer events that reach people through their notification preferences, besides escalations: a burn-rate
/// alert starting (managers and admins), a monitor's outage starting (urgent) and ending, and an incident update (managers, admins and the customer's own users; urgent for
/// a major outage), maintenance announced (the customer's users and the managers) and a month closed with a credit owed
/// (managers and admins). Every such event reaches the customer's <see cref="IWebhookGrain"/> at least once from its
/// publisher's durable outbox, and is routed there; message ids are <c>evt:{event id}:{channel}:{user}</c>, so an event
/// handed over again sends nothing twice.
/// </summary>
public static class EventNotices
{
    /// <summary>What <paramref name="e"/> tells people, whom, and whether it is urgent; null when it tells nobody (pure).</summary>
    public static (NoticeLine Line, bool Urgent, Func<UserAccount, bool> Pick)? Of(WebhookEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        using var json = JsonDocument.Parse(e.Data);
        var data = json.RootElement;
        var customer = e.CustomerId;
        var status = $"status/{Uri.EscapeDataString(customer)}";
        bool Staff(UserAccount u) => PersonalNotices.IsManagement(u);
        bool StaffOrCustomer(UserAccount u) => Staff(u) || (u.Role == UserRole.Customer && u.CustomerId == customer);
        bool CustomerOrManager(UserAccount u) => u.Role == UserRole.Manager || (u.Role == UserRole.Customer && u.CustomerId == customer);
        NoticeLine Line(NoticeKind kind, string title, string summary, string? link) => new($"evt:{e.EventId}", kind, e.OccurredAt, title, summary, link, customer);

        switch (e.Type)
        {
            case WebhookEventTypes.BudgetBurn when Text(data, "state") == "started":
                return (Line(
                    NoticeKind.BurnRateAlert,
                    $"Burn-rate alert {Text(data, "alert")} on {Text(data, "component")} ({customer})",
                    $"The error budget burns {Number(data, "longWindowBurnRate")}× too fast over the long window (alert at {Number(data, "factor")}×), severity {Text(data, "severity")}.",
                    status), false, Staff);
            // A monitor's outage: its opening is urgent (a component is down), its end is not.
            case WebhookEventTypes.IncidentOpened or WebhookEventTypes.IncidentResolved:
                var opened = e.Type == WebhookEventTypes.IncidentOpened;
                return (Line(
                    NoticeKind.Incident,
                    $"{Text(data, "component")} ({customer}) is {(opened ? "down" : "back up")}",
                    opened ? $"An outage started at {Text(data, "start")}." : $"The outage that started at {Text(data, "start")} ended at {Text(data, "end")}.",
                    status), opened, StaffOrCustomer);
            case WebhookEventTypes.IncidentUpdated:
                var title = Text(data, "title") is { Length: > 0 } t ? t : $"Incident {Text(data, "incidentId")}";
                return (Line(
                    NoticeKind.Incident,
                    $"{title} ({customer}): {Text(data, "status")}",
                    Text(data, "message") ?? string.Empty,
                    status), Text(data, "impact") == "majorOutage" && Text(data, "status") != "resolved", StaffOrCustomer);
            // A certificate about to expire: a warning to the staff and the customer's own users, not urgent (days ahead).
            case WebhookEventTypes.CertificateExpiring:
                return (Line(
                    NoticeKind.Warning,
                    $"The TLS certificate of {Text(data, "component")} ({customer}) expires {Text(data, "expiresAt")}",
                    $"{Text(data, "host")}:{Number(data, "port")} presents a certificate that expires in {Number(data, "daysLeft")} days; renew it before then.",
                    status), false, StaffOrCustomer);
            case WebhookEventTypes.MaintenanceAnnounced:
                return (Line(
                    NoticeKind.Maintenance,
                    $"Maintenance of {Text(data, "component")} ({customer})",
                    $"From {Text(data, "start")} to {Text(data, "end")}. {Text(data, "description")}".Trim(),
                    status), false, CustomerOrManager);
            case WebhookEventTypes.CreditNotice when data.TryGetProperty("creditAmount", out var amount) && amount.ValueKind == JsonValueKind.Number && amount.GetDecimal() > 0:
                return (Line(
                    NoticeKind.CreditNotice,
                    $"Credit owed to {customer} for {Text(data, "month")}: {amount.GetDecimal().ToString("0.00", CultureInfo.InvariantCulture)} {Text(data, "currency")}",
                    Text(data, "summary") ?? string.Empty,
                    "credits"), false, Staff);
            // Issue 20 — term and renewal: the reminder before a contract's notice deadline, for managers and admins.
            case WebhookEventTypes.ContractNoticeDue:
                return (Line(
                    NoticeKind.Warning,
                    $"Contract notice for {customer} due by {Text(data, "noticeDueBy")}",
                    Text(data, "summary") ?? string.Empty,
                    "admin"), false, Staff);
            default:
                return null;
        }
    }

    /// <summary>Routes <paramref name="e"/> to the people it tells, through their preferences; returns how many messages were new.</summary>
    public static async Task<int> TellAsync(IGrainFactory grains, WebhookEvent e, Instant now)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return Of(e) is { } notice ? await PersonalNotices.TellAsync(grains, notice.Line, notice.Urgent, notice.Pick, now) : 0;
    }

    private static string? Text(JsonElement data, string name)
        => data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Number(JsonElement data, string name)
        => data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDecimal().ToString("0.##", CultureInfo.InvariantCulture) : "?";
}
