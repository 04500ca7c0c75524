using FsCheck.Xunit;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Notifications;
using static SlaGrains.Domain.Tests.Calendars.CalendarFixtures;

namespace SlaGrains.Domain.Tests.Notifications;

public class NoticeRoutingTests
{
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    /// <summary>A manager in New York working 09:00–17:00 on weekdays, quiet outside those hours.</summary>
    private static NoticePreferences QuietManager(bool urgentBreaksThrough = true)
        => NoticePreferences.Defaults(NoticeAudience.Manager) with
        {
            WorkingHours = NewYorkNineToFive,
            QuietOutsideWorkingHours = true,
            UrgentBreaksQuietHours = urgentBreaksThrough,
        };

    /// <summary>Wednesday 2 December 2026 at <paramref name="hour"/>:<paramref name="minute"/> in New York.</summary>
    private static Instant Wednesday(int hour, int minute = 0)
        => NewYork.AtStrictly(new LocalDateTime(2026, 12, 2, hour, minute)).ToInstant();

    [Fact]
    public void A_manager_with_the_defaults_gets_a_breach_by_email_at_once()
    {
        var now = Wednesday(23, 10);

        var sends = NoticeRouting.Plan(NoticePreferences.Defaults(NoticeAudience.Manager), NoticeKind.Breach, urgent: false, now, NewYork);

        Assert.Equal(new PlannedNotice(NoticeChannel.Email, now, InDigest: false, HeldForQuietHours: false), Assert.Single(sends));
    }

    [Fact]
    public void A_breach_at_midnight_waits_for_the_start_of_the_working_day_while_quiet_hours_are_on()
    {
        var sends = NoticeRouting.Plan(QuietManager(), NoticeKind.Breach, urgent: false, Wednesday(23, 10), NewYork);

        var email = Assert.Single(sends);
        Assert.Equal(NewYork.AtStrictly(new LocalDateTime(2026, 12, 3, 9, 0)).ToInstant(), email.SendAt);
        Assert.True(email.HeldForQuietHours);
    }

    [Fact]
    public void A_p1_breach_breaks_through_quiet_hours_unless_the_person_turned_that_off()
    {
        var now = Wednesday(23, 10);

        var through = Assert.Single(NoticeRouting.Plan(QuietManager(), NoticeKind.Breach, urgent: true, now, NewYork));
        var held = Assert.Single(NoticeRouting.Plan(QuietManager(urgentBreaksThrough: false), NoticeKind.Breach, urgent: true, now, NewYork));

        Assert.Equal((now, false), (through.SendAt, through.HeldForQuietHours));
        Assert.Equal(NewYork.AtStrictly(new LocalDateTime(2026, 12, 3, 9, 0)).ToInstant(), held.SendAt);
    }

    [Fact]
    public void A_breach_in_working_hours_goes_at_once_even_with_quiet_hours_on()
    {
        var now = Wednesday(10, 30);

        var email = Assert.Single(NoticeRouting.Plan(QuietManager(), NoticeKind.Breach, urgent: false, now, NewYork));

        Assert.Equal((now, false, false), (email.SendAt, email.InDigest, email.HeldForQuietHours));
    }

    [Fact]
    public void A_friday_evening_notice_waits_for_monday_morning_and_christmas_is_skipped()
    {
        var friday = NewYork.AtStrictly(new LocalDateTime(2026, 12, 4, 18, 0)).ToInstant();
        var christmasEve = NewYork.AtStrictly(new LocalDateTime(2026, 12, 24, 20, 0)).ToInstant();

        var monday = Assert.Single(NoticeRouting.Plan(QuietManager(), NoticeKind.Escalation, urgent: false, friday, NewYork));
        var afterChristmas = Assert.Single(NoticeRouting.Plan(QuietManager(), NoticeKind.Escalation, urgent: false, christmasEve, NewYork));

        Assert.Equal(NewYork.AtStrictly(new LocalDateTime(2026, 12, 7, 9, 0)).ToInstant(), monday.SendAt);
        Assert.Equal(NewYork.AtStrictly(new LocalDateTime(2026, 12, 28, 9, 0)).ToInstant(), afterChristmas.SendAt);
    }

    [Fact]
    public void Warnings_go_to_managers_in_the_hourly_digest_at_the_top_of_the_next_hour()
    {
        var sends = NoticeRouting.Plan(NoticePreferences.Defaults(NoticeAudience.Manager), NoticeKind.Warning, urgent: false, Wednesday(10, 17), NewYork);

        Assert.Equal(new PlannedNotice(NoticeChannel.Email, Wednesday(11), InDigest: true, HeldForQuietHours: false), Assert.Single(sends));
    }

    [Fact]
    public void An_hourly_digest_due_at_night_is_sent_when_work_starts()
    {
        var digest = Assert.Single(NoticeRouting.Plan(QuietManager(), NoticeKind.Warning, urgent: false, Wednesday(15, 40), NewYork));
        var night = Assert.Single(NoticeRouting.Plan(QuietManager(), NoticeKind.Warning, urgent: false, Wednesday(16, 40), NewYork));

        Assert.Equal((Wednesday(16), false), (digest.SendAt, digest.HeldForQuietHours));
        Assert.Equal((NewYork.AtStrictly(new LocalDateTime(2026, 12, 3, 9, 0)).ToInstant(), true), (night.SendAt, night.HeldForQuietHours));
    }

    [Fact]
    public void A_daily_digest_goes_when_the_next_working_day_starts_or_at_eight_without_working_hours()
    {
        var during = Assert.Single(NoticeRouting.Plan(QuietManager(), NoticeKind.CreditNotice, urgent: false, Wednesday(10), NewYork));
        var early = Assert.Single(NoticeRouting.Plan(QuietManager(), NoticeKind.CreditNotice, urgent: false, Wednesday(6), NewYork));
        var noHours = Assert.Single(NoticeRouting.Plan(NoticePreferences.Defaults(NoticeAudience.Manager), NoticeKind.CreditNotice, urgent: false, Wednesday(10), NewYork));
        var beforeEight = Assert.Single(NoticeRouting.Plan(NoticePreferences.Defaults(NoticeAudience.Manager), NoticeKind.CreditNotice, urgent: false, Wednesday(7, 59), NewYork));

        var thursdayNine = NewYork.AtStrictly(new LocalDateTime(2026, 12, 3, 9, 0)).ToInstant();
        Assert.Equal(thursdayNine, during.SendAt);
        Assert.Equal(Wednesday(9), early.SendAt);
        Assert.Equal(NewYork.AtStrictly(new LocalDateTime(2026, 12, 3, 8, 0)).ToInstant(), noHours.SendAt);
        Assert.Equal(Wednesday(8), beforeEight.SendAt);
        Assert.All([during, early, noHours, beforeEight], d => Assert.True(d.InDigest));
    }

    [Fact]
    public void A_daily_digest_waits_for_the_next_morning_not_for_the_end_of_the_lunch_break()
    {
        var berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        var lunch = berlin.AtStrictly(new LocalDateTime(2026, 12, 2, 12, 30)).ToInstant();

        var digest = Assert.Single(NoticeRouting.Plan(QuietManager() with { WorkingHours = BerlinWithLunch }, NoticeKind.CreditNotice, urgent: false, lunch, NewYork));

        Assert.Equal(berlin.AtStrictly(new LocalDateTime(2026, 12, 3, 9, 0)).ToInstant(), digest.SendAt);
    }

    [Fact]
    public void An_urgent_notice_is_never_left_in_a_digest()
    {
        var now = Wednesday(10, 17);
        var digestOnly = NoticePreferences.Defaults(NoticeAudience.Manager).With(NoticeKind.Breach, NoticeChannel.Email, NoticeDelivery.DailyDigest);

        var email = Assert.Single(NoticeRouting.Plan(digestOnly, NoticeKind.Breach, urgent: true, now, NewYork));

        Assert.Equal((now, false), (email.SendAt, email.InDigest));
    }

    [Fact]
    public void Each_channel_that_is_not_off_gets_its_own_send_and_off_sends_nothing()
    {
        var now = Wednesday(10);
        var preferences = NoticePreferences.Defaults(NoticeAudience.Technician)
            .With(NoticeKind.Breach, NoticeChannel.Slack, NoticeDelivery.Immediately)
            .With(NoticeKind.Breach, NoticeChannel.Teams, NoticeDelivery.HourlyDigest)
            .With(NoticeKind.Warning, NoticeChannel.Email, NoticeDelivery.Off);

        var breach = NoticeRouting.Plan(preferences, NoticeKind.Breach, urgent: false, now, NewYork);
        var warning = NoticeRouting.Plan(preferences, NoticeKind.Warning, urgent: false, now, NewYork);

        Assert.Equal([NoticeChannel.Email, NoticeChannel.Slack, NoticeChannel.Teams], breach.Select(s => s.Channel));
        Assert.Equal(Wednesday(11), breach[2].SendAt);
        Assert.Empty(warning);
    }

    [Fact]
    public void Customers_get_incidents_and_maintenance_by_email_and_never_ticket_clocks_by_default()
    {
        var customer = NoticePreferences.Defaults(NoticeAudience.Customer);

        Assert.Equal(NoticeDelivery.Immediately, customer.For(NoticeKind.Incident, NoticeChannel.Email));
        Assert.Equal(NoticeDelivery.Immediately, customer.For(NoticeKind.Maintenance, NoticeChannel.Email));
        Assert.Equal(NoticeDelivery.Off, customer.For(NoticeKind.Breach, NoticeChannel.Email));
        Assert.Equal(NoticeDelivery.Off, customer.For(NoticeKind.Warning, NoticeChannel.Email));
    }

    [Fact]
    public void Customers_named_by_an_escalation_rule_get_it_at_once_by_default()
    {
        var customer = NoticePreferences.Defaults(NoticeAudience.Customer);

        Assert.Equal(NoticeDelivery.Immediately, customer.For(NoticeKind.Escalation, NoticeChannel.Email));
        Assert.Equal(NoticeDelivery.Off, customer.For(NoticeKind.Escalation, NoticeChannel.Slack));
    }

    [Fact]
    public void Quiet_hours_without_working_hours_are_rejected()
    {
        var noHours = NoticePreferences.Defaults(NoticeAudience.Manager) with { QuietOutsideWorkingHours = true };
        var neverOpen = noHours with { WorkingHours = BusinessCalendar.Create("Europe/Berlin", WeeklySchedule.Closed) };

        Assert.Equal("quiet-hours-without-working-hours", noHours.Check()?.Code);
        Assert.Equal("quiet-hours-without-working-hours", neverOpen.Check()?.Code);
        Assert.Null(QuietManager().Check());
    }

    /// <summary>Over two years of instants and every kind: nothing goes before now, and nothing not urgent goes in quiet hours.</summary>
    [Property(MaxTest = 300)]
    public bool A_send_is_never_before_now_and_never_in_quiet_hours_unless_urgent(long seconds, int kind, bool urgent, bool digestWarnings)
    {
        var now = Instant.FromUtc(2026, 1, 1, 0, 0) + Duration.FromSeconds(Math.Abs(seconds % (2L * 366 * 86_400)));
        var preferences = QuietManager() with { WorkingHours = BerlinWithLunch };
        if (digestWarnings)
        {
            preferences = preferences.With(NoticeKind.Warning, NoticeChannel.Email, NoticeDelivery.DailyDigest);
        }

        var kinds = Enum.GetValues<NoticeKind>();
        var sends = NoticeRouting.Plan(preferences, kinds[Math.Abs(kind % kinds.Length)], urgent, now, NewYork);

        return sends.All(s => s.SendAt >= now && (urgent || !NoticeRouting.IsQuiet(preferences, s.SendAt)) && (!s.InDigest || s.SendAt > now));
    }
}
