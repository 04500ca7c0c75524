using SlaGrains.Domain.Agreements;

namespace SlaGrains.Domain.Tests.Agreements;

/// <summary>Remedies after repeated misses ("3 missed months in any 6 → 10 % extra credit"), evaluated at each month close.</summary>
public class RemedyRuleTests
{
    private static readonly RemedyRule ThreeInSix = new(Misses: 3, WindowMonths: 6, RemedyKind.ExtraCredit, ExtraCreditPercent: 10m);

    private static HashSet<YearMonth> Missed(params (int Year, int Month)[] months) => [.. months.Select(m => new YearMonth(m.Year, m.Month))];

    [Fact]
    public void The_third_miss_within_six_months_fires_and_names_the_months_it_counted()
    {
        var missed = Missed((2026, 1), (2026, 3), (2026, 6));

        var beforeThird = ThreeInSix.Decide(new YearMonth(2026, 3), missed, lastFired: null);
        var atThird = ThreeInSix.Decide(new YearMonth(2026, 6), missed, lastFired: null);

        Assert.Null(beforeThird);
        Assert.NotNull(atThird);
        Assert.Equal([new YearMonth(2026, 1), new YearMonth(2026, 3), new YearMonth(2026, 6)], atThird.CountedMonths.ToArray());
    }

    [Fact]
    public void Misses_further_apart_than_the_window_do_not_fire()
        => Assert.Null(ThreeInSix.Decide(new YearMonth(2026, 7), Missed((2026, 1), (2026, 4), (2026, 7)), lastFired: null));

    [Fact]
    public void A_fourth_miss_in_the_same_window_does_not_fire_again_but_three_new_misses_do()
    {
        var missed = Missed((2026, 1), (2026, 2), (2026, 3), (2026, 4), (2026, 5), (2026, 6));
        var fired = new YearMonth(2026, 3);

        Assert.Null(ThreeInSix.Decide(new YearMonth(2026, 4), missed, fired));
        Assert.Null(ThreeInSix.Decide(new YearMonth(2026, 5), missed, fired));
        Assert.Equal(new YearMonth(2026, 6), ThreeInSix.Decide(new YearMonth(2026, 6), missed, fired)?.Month);
    }

    [Fact]
    public void A_met_month_never_triggers_and_closing_a_month_again_gives_the_same_answer()
    {
        var missed = Missed((2026, 1), (2026, 2), (2026, 3));

        Assert.Null(ThreeInSix.Decide(new YearMonth(2026, 4), missed, lastFired: null));
        Assert.Equal(ThreeInSix.Decide(new YearMonth(2026, 3), missed, null)!.CountedMonths.ToArray(), ThreeInSix.Decide(new YearMonth(2026, 3), missed, null)!.CountedMonths.ToArray());
        Assert.Null(ThreeInSix.Decide(new YearMonth(2026, 3), missed, lastFired: new YearMonth(2026, 3)));
    }

    [Theory]
    [InlineData(3, 25, RemedyKind.ExtraCredit, 10, "windowMonths")]
    [InlineData(3, 1, RemedyKind.ExtraCredit, 10, "windowMonths")]
    [InlineData(7, 6, RemedyKind.ExtraCredit, 10, "misses")]
    [InlineData(1, 6, RemedyKind.ExtraCredit, 10, "misses")]
    [InlineData(3, 6, RemedyKind.ExtraCredit, 0, "extraCreditPercent")]
    [InlineData(3, 6, RemedyKind.ExtraCredit, 101, "extraCreditPercent")]
    [InlineData(3, 6, RemedyKind.TerminationRight, 5, "extraCreditPercent")]
    [InlineData(3, 6, (RemedyKind)7, 0, "kind")]
    public void A_remedy_the_contract_cannot_have_names_its_field(int misses, int window, RemedyKind kind, int percent, string field)
        => Assert.Equal(field, new RemedyRule(misses, window, kind, percent).Problem()?.Field);

    [Fact]
    public void Over_any_history_a_missed_month_counts_toward_one_firing_only_and_every_firing_lies_within_its_window()
    {
        var random = new Random(19);
        foreach (var rule in new[] { ThreeInSix, new RemedyRule(2, 3, RemedyKind.TerminationRight), new RemedyRule(4, 24, RemedyKind.ExtraCredit, 25m) })
        {
            for (var history = 0; history < 200; history++)
            {
                var months = Enumerable.Range(0, 48).Select(i => new YearMonth(2024, 1).PlusMonths(i)).ToList();
                var missed = months.Where(_ => random.NextDouble() < 0.35).ToHashSet();
                YearMonth? last = null;
                var used = new HashSet<YearMonth>();
                foreach (var month in months)
                {
                    if (rule.Decide(month, missed, last) is not { } firing)
                    {
                        continue;
                    }

                    Assert.True(firing.CountedMonths.Length >= rule.Misses);
                    Assert.All(firing.CountedMonths, m => Assert.True(used.Add(m), $"{m} counted twice"));
                    Assert.True(firing.CountedMonths[0] > month.PlusMonths(-rule.WindowMonths));
                    last = month;
                }
            }
        }
    }
}
