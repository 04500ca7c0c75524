using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Notifications;
using SlaGrains.Domain.Tickets;
using SlaGrains.Grains.Channels;

namespace SlaGrains.Grains.Tests.Channels;

/// <summary>How a notice reaches each person: their preferences, their quiet hours, their digests, their own targets.</summary>
public sealed class PersonalNoticesTests
{
    /// <summary>A Wednesday, 22:00 UTC: outside 09:00–17:00 working hours.</summary>
    private static readonly Instant Evening = Instant.FromUtc(2030, 5, 8, 22, 0);

    private static readonly NoticeLine Line = new("esc:T-1/Resolution/100/1", NoticeKind.Breach, Evening, "SLA breach: T-1", "", "tickets/T-1", "acme");

    private static readonly BusinessCalendar NineToFive = new(DateTimeZone.Utc, WeeklySchedule.Weekdays("09:00", "17:00"));

    [Fact]
    public void A_manager_who_never_chose_gets_a_breach_by_email_at_once_and_a_warning_in_the_next_hourly_digest()
    {
        var manager = new UserAccount("Morgan", "h", UserRole.Manager, null, null, Email: "morgan@example.test");

        var breach = Route(Line, urgent: false, manager);
        var warning = Route(Line with { Kind = NoticeKind.Warning }, urgent: false, manager);

        var message = Assert.Single(breach.Messages);
        Assert.Equal(("esc:T-1/Resolution/100/1:email:morgan", "morgan@example.test", null), (message.MessageId, message.Target, message.NotBefore));
        Assert.Empty(warning.Messages);
        var line = Assert.Single(warning.DigestLines);
        Assert.Equal(("email:morgan", Instant.FromUtc(2030, 5, 8, 23, 0)), (line.DigestKey, line.SendAt));
    }

    [Fact]
    public void A_breach_in_quiet_hours_is_queued_now_to_go_when_work_starts_unless_it_is_urgent_and_urgent_may_break_through()
    {
        var quiet = Person(NoticePreferences.Defaults(NoticeAudience.Manager) with { WorkingHours = NineToFive, QuietOutsideWorkingHours = true, UrgentBreaksQuietHours = true });
        var strict = Person(NoticePreferences.Defaults(NoticeAudience.Manager) with { WorkingHours = NineToFive, QuietOutsideWorkingHours = true, UrgentBreaksQuietHours = false }, "strict");

        var held = Assert.Single(Route(Line, urgent: false, quiet).Messages);
        var urgent = Assert.Single(Route(Line, urgent: true, quiet).Messages);
        var urgentHeld = Assert.Single(Route(Line, urgent: true, strict).Messages);

        Assert.Equal(Instant.FromUtc(2030, 5, 9, 9, 0), held.NotBefore);
        Assert.Null(urgent.NotBefore);
        Assert.Equal(Instant.FromUtc(2030, 5, 9, 9, 0), urgentHeld.NotBefore);
    }

    [Fact]
    public void Slack_and_Teams_go_to_the_persons_own_webhooks_and_are_off_without_them_as_email_is_without_an_address()
    {
        var preferences = NoticePreferences.Defaults(NoticeAudience.Manager)
            .With(NoticeKind.Breach, NoticeChannel.Slack, NoticeDelivery.Immediately)
            .With(NoticeKind.Breach, NoticeChannel.Teams, NoticeDelivery.Immediately);
        var withSlack = new UserAccount("a", "h", UserRole.Manager, null, null, Notices: NoticeSettings.From(preferences, "https://hooks.slack.com/services/T/B/1", null));
        var withNothing = new UserAccount("b", "h", UserRole.Manager, null, null, Notices: NoticeSettings.From(preferences, null, null));

        var routed = Route(Line, urgent: false, withSlack, withNothing);

        var message = Assert.Single(routed.Messages);
        Assert.Equal((ChannelKind.Slack, "https://hooks.slack.com/services/T/B/1", "esc:T-1/Resolution/100/1:slack:a"), (message.Channel, message.Target, message.MessageId));
    }

    [Fact]
    public void Settings_stored_and_read_back_hold_the_same_preferences_and_role_defaults_apply_until_then()
    {
        var preferences = NoticePreferences.Defaults(NoticeAudience.Technician).With(NoticeKind.Incident, NoticeChannel.Email, NoticeDelivery.Off) with { WorkingHours = NineToFive };
        var customerUser = new UserAccount("c", "h", UserRole.Customer, "acme", null);

        var back = NoticeSettings.From(preferences, null, null).ToPreferences();

        Assert.Equal(preferences.Deliveries.OrderBy(d => d.Key).ToList(), back.Deliveries.OrderBy(d => d.Key).ToList());
        Assert.Equal(NineToFive, back.WorkingHours);
        Assert.Equal(NoticeDelivery.Immediately, NoticeSettings.Of(customerUser).ToPreferences().For(NoticeKind.Incident, NoticeChannel.Email));
        Assert.Equal(NoticeDelivery.Off, NoticeSettings.Of(customerUser).ToPreferences().For(NoticeKind.Breach, NoticeChannel.Email));
    }

    [Fact]
    public void A_warning_escalation_goes_to_the_digest_a_P1_breach_by_rule_is_an_urgent_escalation()
    {
        var quietManager = Person(NoticePreferences.Defaults(NoticeAudience.Manager) with { WorkingHours = NineToFive, QuietOutsideWorkingHours = true });
        var warning = Escalation(75, TicketPriority.P1);
        var breach = Escalation(100, TicketPriority.P1);

        var warned = EscalationNotices.Route(warning, ["user:morgan"], [quietManager], "Printer");
        var breached = EscalationNotices.Route(breach, ["user:morgan"], [quietManager], "Printer");

        Assert.Empty(warned.Messages);
        Assert.Equal("Printer", Assert.Single(warned.DigestLines).Line.Title.Split(" — ")[1]);
        Assert.Null(Assert.Single(breached.Messages).NotBefore);
    }

    [Fact]
    public void Events_tell_the_people_they_concern_a_major_outage_is_urgent_and_a_month_without_credit_tells_nobody()
    {
        var manager = new UserAccount("m", "h", UserRole.Manager, null, null);
        var ownUser = new UserAccount("own", "h", UserRole.Customer, "acme", null);
        var otherUser = new UserAccount("other", "h", UserRole.Customer, "globex", null);
        var update = new WebhookEvent("incident.updated/inc-1/2", WebhookEventTypes.IncidentUpdated, "acme", Evening, """{"incidentId":"inc-1","status":"identified","message":"A disk","title":"Checkout down","impact":"majorOutage"}""");
        var burn = new WebhookEvent("b1.started", WebhookEventTypes.BudgetBurn, "acme", Evening, """{"alert":"fast","component":"API","state":"started","factor":14.4,"longWindowBurnRate":20,"severity":"page"}""");
        var noCredit = new WebhookEvent("sla-credit-acme-2030-04", WebhookEventTypes.CreditNotice, "acme", Evening, """{"month":"2030-04","creditAmount":0,"currency":"EUR"}""");

        var incident = EventNotices.Of(update)!.Value;
        var alert = EventNotices.Of(burn)!.Value;

        Assert.Equal((NoticeKind.Incident, true, "evt:incident.updated/inc-1/2"), (incident.Line.Kind, incident.Urgent, incident.Line.LineId));
        Assert.Equal([true, true, false], new[] { manager, ownUser, otherUser }.Select(incident.Pick));
        Assert.Equal([true, false], new[] { manager, ownUser }.Select(alert.Pick));
        Assert.Equal(NoticeKind.BurnRateAlert, alert.Line.Kind);
        Assert.Null(EventNotices.Of(noCredit));
    }

    [Fact]
    public void A_monitor_outage_tells_staff_and_its_customers_users_urgently_when_it_starts_and_calmly_when_it_ends()
    {
        var manager = new UserAccount("m", "h", UserRole.Manager, null, null);
        var technician = new UserAccount("t", "h", UserRole.Technician, null, null);
        var ownUser = new UserAccount("own", "h", UserRole.Customer, "acme", null);
        var otherUser = new UserAccount("other", "h", UserRole.Customer, "globex", null);
        const string Data = """{"incidentId":"m-api-1","monitorId":"m-api","component":"API","start":"2030-05-06T19:00:00Z","end":"2030-05-06T19:20:00Z"}""";

        var opened = EventNotices.Of(new WebhookEvent("incident.opened/m-api-1", WebhookEventTypes.IncidentOpened, "acme", Evening, Data))!.Value;
        var resolved = EventNotices.Of(new WebhookEvent("incident.resolved/m-api-1", WebhookEventTypes.IncidentResolved, "acme", Evening, Data))!.Value;

        Assert.Equal((NoticeKind.Incident, true, "evt:incident.opened/m-api-1"), (opened.Line.Kind, opened.Urgent, opened.Line.LineId));
        Assert.Equal((NoticeKind.Incident, false, "evt:incident.resolved/m-api-1"), (resolved.Line.Kind, resolved.Urgent, resolved.Line.LineId));
        Assert.Equal("API (acme) is down", opened.Line.Title);
        Assert.Equal("API (acme) is back up", resolved.Line.Title);
        Assert.Equal([true, false, true, false], new[] { manager, technician, ownUser, otherUser }.Select(opened.Pick));
    }

    private static RoutedNotices Route(NoticeLine line, bool urgent, params UserAccount[] users) => PersonalNotices.Route(line, urgent, users, Evening);

    private static UserAccount Person(NoticePreferences preferences, string name = "morgan")
        => new(name, "h", UserRole.Manager, null, null, Email: $"{name}@example.test", Notices: NoticeSettings.From(preferences, null, null));

    private static EscalationView Escalation(int percent, TicketPriority priority) => new(
        $"T-9/Resolution/{percent}/1",
        new SlaAlert("T-9", "acme", SlaMetric.Resolution, percent, 1, Evening, Evening, priority, null, null),
        [$"notify user:morgan"],
        Evening,
        null,
        null);
}
