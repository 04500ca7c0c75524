using SlaGrains.Domain.Credits;

namespace SlaGrains.Domain.Tests.Credits;

public class CreditNoticeTextTests
{
    private static readonly CreditTerms Terms = new(99.9m, 1000m, "EUR", CreditSchedule.Default);

    [Fact]
    public void The_notice_states_availability_against_the_commitment_downtime_incidents_and_the_credit()
    {
        var text = CreditNoticeText.Summary(new YearMonth(2026, 3), Duration.FromMinutes(60), 1, CreditCalculator.Calculate(99.8656m, Terms));

        Assert.Equal(
            "In 2026-03 the service was available 99.8656 % of the time against the committed 99.9 %: 60 min of downtime in 1 incident(s). "
            + "Under the contract this earns a credit of 10 % of the monthly fee of 1,000.00 EUR: 100.00 EUR, deducted from the next invoice.",
            text);
    }
}
