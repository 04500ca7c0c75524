using SlaGrains.Domain.Agreements;

namespace SlaGrains.Domain.Tests.Agreements;

/// <summary>Issue 20 — managers are reminded 30 days and 1 day before a renewing contract's notice deadline, once each.</summary>
public class TermRemindersTests
{
    // Renews on 2027-03-01; notice due by 2026-12-01; reminders on 2026-11-01 and 2026-11-30.
    private static readonly ContractTerm Term = new(new LocalDate(2025, 3, 1), TermMonths: 24, RenewalMonths: 12, NoticeDays: 90);

    private static TermReminder Sent(LocalDate deadline, int days) => new(deadline, deadline.PlusDays(90), days, 0);

    [Fact]
    public void The_first_reminder_is_30_days_before_the_deadline_and_nothing_is_due_before()
    {
        Assert.Null(TermReminders.Due(Term, new LocalDate(2026, 10, 31), null));
        Assert.Equal(new LocalDate(2026, 11, 1), TermReminders.NextDue(Term, new LocalDate(2026, 10, 31), null));
        var due = TermReminders.Due(Term, new LocalDate(2026, 11, 1), null);
        Assert.Equal((new LocalDate(2026, 12, 1), new LocalDate(2027, 3, 1), 30, 30), (due?.NoticeDueBy, due?.RenewsOn, due?.DaysBefore, due?.DaysLeft));
        Assert.Equal("2026-12-01/30", due?.Key);
    }

    [Fact]
    public void Once_sent_a_reminder_is_not_due_again_and_the_next_is_the_day_before_the_deadline()
    {
        var thirty = Sent(new LocalDate(2026, 12, 1), 30);

        Assert.Null(TermReminders.Due(Term, new LocalDate(2026, 11, 2), thirty));
        Assert.Equal(new LocalDate(2026, 11, 30), TermReminders.NextDue(Term, new LocalDate(2026, 11, 2), thirty));
        Assert.Equal(1, TermReminders.Due(Term, new LocalDate(2026, 11, 30), thirty)?.DaysBefore);
    }

    [Fact]
    public void After_both_reminders_the_next_is_for_the_next_renewal_not_before_this_one_starts()
    {
        var one = Sent(new LocalDate(2026, 12, 1), 1);

        Assert.Null(TermReminders.Due(Term, new LocalDate(2026, 12, 1), one));
        Assert.Null(TermReminders.Due(Term, new LocalDate(2027, 1, 15), one));
        // Next deadline 2027-12-02 (90 days before the renewal on 2028-03-01, after a leap February): its first reminder on 2027-11-02.
        Assert.Equal(new LocalDate(2027, 11, 2), TermReminders.NextDue(Term, new LocalDate(2026, 12, 1), one));
        Assert.Equal(new LocalDate(2027, 11, 2), TermReminders.NextDue(Term, new LocalDate(2027, 1, 15), one));
    }

    [Fact]
    public void A_contract_set_late_gets_only_the_latest_reminder_due_once()
    {
        var lateForThirty = TermReminders.Due(Term, new LocalDate(2026, 11, 25), null);
        var lateForBoth = TermReminders.Due(Term, new LocalDate(2026, 12, 1), null);

        Assert.Equal((30, 6), (lateForThirty?.DaysBefore, lateForThirty?.DaysLeft));
        Assert.Equal((1, 0), (lateForBoth?.DaysBefore, lateForBoth?.DaysLeft));
        Assert.Null(TermReminders.Due(Term, new LocalDate(2026, 12, 1), Sent(new LocalDate(2026, 12, 1), 1)));
    }

    [Fact]
    public void A_contract_that_does_not_renew_has_no_reminder_even_before_it_starts()
    {
        var ending = new ContractTerm(new LocalDate(2027, 1, 1), TermMonths: 12, RenewalMonths: 0, NoticeDays: 30);

        Assert.Null(TermReminders.NextDue(ending, new LocalDate(2026, 12, 6), null));
        Assert.Equal(new TermStanding(TermState.NotStarted, null, null, new LocalDate(2027, 12, 31)), ending.On(new LocalDate(2026, 12, 6)));
        Assert.Equal("starts on 2027-01-01; ends on 2027-12-31 (it does not renew)", ending.Describe(new LocalDate(2026, 12, 6)));
    }

    [Fact]
    public void The_term_reads_renews_on_and_notice_due_by()
    {
        Assert.Equal("renews on 2027-03-01, notice due by 2026-12-01", Term.Describe(new LocalDate(2026, 12, 1)));
        Assert.Equal("renews on 2027-03-01, notice due by 2026-12-01 (passed)", Term.Describe(new LocalDate(2026, 12, 6)));
        Assert.Equal("ended on 2027-02-28", new ContractTerm(new LocalDate(2025, 3, 1), 24, 0, 0).Describe(new LocalDate(2027, 6, 1)));
    }
}
