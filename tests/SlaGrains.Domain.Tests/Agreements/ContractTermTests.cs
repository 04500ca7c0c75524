using SlaGrains.Domain.Agreements;

namespace SlaGrains.Domain.Tests.Agreements;

/// <summary>A contract's term, renewal date and notice deadline, as the renewal summary and the managers' reminder read them.</summary>
public class ContractTermTests
{
    private static readonly ContractTerm OneYearRenewingYearly = new(new LocalDate(2026, 3, 1), TermMonths: 12, RenewalMonths: 12, NoticeDays: 90);

    [Fact]
    public void A_one_year_term_from_March_renews_next_March_with_notice_due_90_days_before()
    {
        var standing = OneYearRenewingYearly.On(new LocalDate(2026, 12, 6));

        Assert.Equal(new TermStanding(TermState.InTerm, new LocalDate(2027, 3, 1), new LocalDate(2026, 12, 1), null), standing);
        Assert.Equal(new LocalDate(2027, 2, 28), OneYearRenewingYearly.InitialEnd);
    }

    [Fact]
    public void After_its_term_the_contract_renews_period_by_period_counted_from_the_start()
    {
        var renewedOnItsDay = OneYearRenewingYearly.On(new LocalDate(2027, 3, 1));
        var twoRenewalsLater = OneYearRenewingYearly.On(new LocalDate(2029, 2, 28));
        var endOfJanuary = new ContractTerm(new LocalDate(2026, 1, 31), TermMonths: 1, RenewalMonths: 1, NoticeDays: 7).On(new LocalDate(2026, 3, 30));

        Assert.Equal((TermState.Renewed, new LocalDate(2028, 3, 1)), (renewedOnItsDay.State, renewedOnItsDay.RenewsOn));
        Assert.Equal(new LocalDate(2029, 3, 1), twoRenewalsLater.RenewsOn);
        Assert.Equal(new LocalDate(2026, 3, 31), endOfJanuary.RenewsOn);
        Assert.Equal(new LocalDate(2026, 3, 24), endOfJanuary.NoticeDueBy);
    }

    [Fact]
    public void A_term_that_does_not_renew_ends_on_its_last_day_with_no_notice_due()
    {
        var term = new ContractTerm(new LocalDate(2026, 3, 1), TermMonths: 24, RenewalMonths: 0, NoticeDays: 0);

        Assert.Equal(new TermStanding(TermState.InTerm, null, null, new LocalDate(2028, 2, 29)), term.On(new LocalDate(2027, 6, 1)));
        Assert.Equal(TermState.Ended, term.On(new LocalDate(2028, 3, 1)).State);
    }

    [Fact]
    public void Before_it_starts_the_first_renewal_and_its_notice_are_already_known()
        => Assert.Equal(
            new TermStanding(TermState.NotStarted, new LocalDate(2027, 3, 1), new LocalDate(2026, 12, 1), null),
            OneYearRenewingYearly.On(new LocalDate(2026, 1, 15)));

    [Theory]
    [InlineData(12, 12, 365, "noticeDays")]
    [InlineData(12, 1, 31, "noticeDays")]
    [InlineData(0, 12, 30, "termMonths")]
    [InlineData(121, 12, 30, "termMonths")]
    [InlineData(12, -1, 30, "renewalMonths")]
    [InlineData(12, 12, -1, "noticeDays")]
    [InlineData(36, 36, 731, "noticeDays")]
    public void A_term_the_contract_cannot_have_names_its_field(int termMonths, int renewalMonths, int noticeDays, string field)
        => Assert.Equal(field, new ContractTerm(new LocalDate(2026, 3, 1), termMonths, renewalMonths, noticeDays).Problem()?.Field);

    [Fact]
    public void The_notice_deadline_is_never_after_the_renewal_it_stops_and_the_renewal_is_always_after_the_day_asked()
    {
        var terms = new[] { OneYearRenewingYearly, new ContractTerm(new LocalDate(2025, 8, 31), 3, 1, 14), new ContractTerm(new LocalDate(2024, 2, 29), 36, 12, 60) };
        for (var day = new LocalDate(2024, 1, 1); day < new LocalDate(2031, 1, 1); day = day.PlusDays(5))
        {
            foreach (var term in terms)
            {
                Assert.Null(term.Problem());
                var standing = term.On(day);
                Assert.True(standing.RenewsOn > day, $"{term} on {day}: renews {standing.RenewsOn}");
                Assert.True(standing.NoticeDueBy <= standing.RenewsOn);
                Assert.Equal(standing.RenewsOn!.Value.PlusDays(-term.NoticeDays), standing.NoticeDueBy);
            }
        }
    }
}
