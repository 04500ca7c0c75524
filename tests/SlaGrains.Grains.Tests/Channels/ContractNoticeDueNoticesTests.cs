using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Notifications;
using SlaGrains.Grains.Channels;
using SlaGrains.Grains.Webhooks;

namespace SlaGrains.Grains.Tests.Channels;

/// <summary>
/// Issue 20 — the reminder before a contract's notice deadline reaches managers and admins through the channels they get
/// escalations on (their preferences decide email, Slack, Teams or a digest), never the customer's own users.
/// </summary>
public sealed class ContractNoticeDueNoticesTests
{
    private static readonly Instant Midnight = Instant.FromUtc(2026, 11, 1, 0, 0);

    [Fact]
    public void The_notice_due_event_tells_staff_only_as_a_warning_once_per_reminder()
    {
        var reminder = new TermReminder(new LocalDate(2026, 12, 1), new LocalDate(2027, 3, 1), 30, 30);
        var e = WebhookPayloads.ContractNoticeDue("acme", reminder, reminder.Text("acme"), Midnight);
        var manager = new UserAccount("m", "h", UserRole.Manager, null, null, Email: "m@example.test");
        var admin = new UserAccount("a", "h", UserRole.Admin, null, null);
        var customerUser = new UserAccount("c", "h", UserRole.Customer, "acme", null);

        var notice = EventNotices.Of(e)!.Value;
        var routed = PersonalNotices.Route(notice.Line, notice.Urgent, new[] { manager, admin, customerUser }.Where(notice.Pick), Midnight);

        Assert.Equal(("contract.notice-due/2026-12-01/30", WebhookEventTypes.ContractNoticeDue), (e.EventId, e.Type));
        Assert.True(WebhookEventTypes.IsInternal(e.Type));
        Assert.Equal((NoticeKind.Warning, false, "evt:contract.notice-due/2026-12-01/30"), (notice.Line.Kind, notice.Urgent, notice.Line.LineId));
        Assert.Equal("Contract notice for acme due by 2026-12-01", notice.Line.Title);
        Assert.Contains("renews on 2027-03-01 unless notice is given by 2026-12-01 (in 30 days)", notice.Line.Summary, StringComparison.Ordinal);
        Assert.Equal([true, true, false], new[] { manager, admin, customerUser }.Select(notice.Pick));
        Assert.Contains(routed.DigestLines, d => d.DigestKey == "email:m");
    }
}
