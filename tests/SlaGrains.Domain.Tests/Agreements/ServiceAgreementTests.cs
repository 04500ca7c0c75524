using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Credits;

namespace SlaGrains.Domain.Tests.Agreements;

public class ServiceAgreementTests
{
    private static ServiceAgreement Agreement(decimal sla = 99.5m, decimal? slo = null) =>
        new("acme", sla, 1000m, "USD", sloTargetPercent: slo);

    [Fact]
    public void The_default_SLO_for_an_SLA_of_99_5_keeps_20_percent_of_its_budget_and_is_99_9()
    {
        Assert.Equal(99.9m, Agreement(99.5m).SloTargetPercent);
    }

    [Fact]
    public void The_default_SLO_for_an_SLA_of_99_9_is_99_98()
    {
        Assert.Equal(99.98m, Agreement(99.9m).SloTargetPercent);
    }

    [Fact]
    public void The_SLO_budget_fraction_is_configurable()
    {
        var agreement = new ServiceAgreement("acme", 99.5m, 1000m, "USD", sloBudgetFraction: 0.5m);

        Assert.Equal(99.75m, agreement.SloTargetPercent);
    }

    [Fact]
    public void An_explicit_SLO_is_kept()
    {
        Assert.Equal(99.95m, Agreement(99.5m, slo: 99.95m).SloTargetPercent);
        Assert.Equal(99.5m, Agreement(99.5m, slo: 99.5m).SloTargetPercent);
    }

    [Theory]
    [InlineData(99.4)]
    [InlineData(100.0)]
    public void An_explicit_SLO_below_the_SLA_or_at_100_is_rejected(double slo)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => Agreement(99.5m, slo: (decimal)slo));

        Assert.Equal("sloTargetPercent", ex.ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.01)]
    public void An_SLO_budget_fraction_outside_0_to_1_is_rejected(double fraction)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() =>
            new ServiceAgreement("acme", 99.5m, 1000m, "USD", sloBudgetFraction: (decimal)fraction));

        Assert.Equal("sloBudgetFraction", ex.ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(100.5)]
    public void An_SLA_target_outside_0_to_100_is_rejected(double sla)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => Agreement((decimal)sla));

        Assert.Equal("slaTargetPercent", ex.ParamName);
    }

    [Fact]
    public void Defaults_are_the_standard_schedule_a_50_percent_cap_and_48_hours_notice()
    {
        var agreement = Agreement();

        Assert.Equal(CreditSchedule.Default, agreement.CreditSchedule);
        Assert.Equal(50m, agreement.CreditCapPercent);
        Assert.Equal(Duration.FromHours(48), agreement.MaintenanceNotice);
    }

    [Fact]
    public void A_negative_fee_is_rejected_naming_the_fee()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new ServiceAgreement("acme", 99.5m, -0.01m, "USD"));

        Assert.Equal("monthlyFee", ex.ParamName);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(100.5)]
    public void A_credit_cap_outside_0_to_100_percent_is_rejected(double cap)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() =>
            new ServiceAgreement("acme", 99.5m, 1000m, "USD", creditCapPercent: (decimal)cap));

        Assert.Equal("creditCapPercent", ex.ParamName);
    }

    [Fact]
    public void A_negative_maintenance_notice_is_rejected()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() =>
            new ServiceAgreement("acme", 99.5m, 1000m, "USD", maintenanceNotice: Duration.FromHours(-1)));

        Assert.Equal("maintenanceNotice", ex.ParamName);
    }

    [Fact]
    public void Credits_are_judged_against_the_SLA_not_the_SLO()
    {
        var agreement = new ServiceAgreement("acme", 99.0m, 1000m, "USD");

        Assert.True(agreement.CreditFor(99.5m).Met); // below the 99.8 % SLO, but the SLA is met
        Assert.Equal(250.00m, agreement.CreditFor(98.0m).Amount);
    }

    [Fact]
    public void Closing_a_month_gives_the_credit_under_its_idempotency_key()
    {
        var credit = Agreement(99.9m).CloseMonth(new YearMonth(2026, 3), 99.45m, Instant.FromUtc(2026, 4, 1, 0, 5));

        Assert.Equal("sla-credit-acme-2026-03", credit.IdempotencyKey);
        Assert.Equal(100.00m, credit.Amount);
    }

    [Fact]
    public void The_report_shows_SLA_and_SLO_side_by_side_with_their_allowed_downtime()
    {
        var report = Agreement(99.9m).Report(99.95m, Duration.FromDays(30));

        Assert.True(report.Sla.Met);
        Assert.False(report.Slo.Met);
        Assert.Equal(Duration.FromMinutes(43) + Duration.FromSeconds(12), report.Sla.AllowedDowntime);
        Assert.Equal(Duration.FromMinutes(8) + Duration.FromMilliseconds(38_400), report.Slo.AllowedDowntime);
    }

    [Fact]
    public void Excluded_maintenance_shrinks_the_allowed_downtime()
    {
        var report = Agreement(99.9m).Report(99.95m, Duration.FromDays(30), excluded: Duration.FromHours(2));

        Assert.Equal(Duration.FromMinutes(43) + Duration.FromMilliseconds(4_800), report.Sla.AllowedDowntime);
    }

    [Fact]
    public void Exclusions_longer_than_the_period_are_rejected()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() =>
            Agreement().Report(99.9m, Duration.FromDays(1), excluded: Duration.FromDays(2)));

        Assert.Equal("excluded", ex.ParamName);
    }

    [Fact]
    public void The_contract_clause_carries_target_schedule_cap_and_notice()
    {
        var clause = Agreement(99.9m).Clause;

        Assert.Equal(99.9m, clause.TargetPercent);
        Assert.Equal(CreditSchedule.Default.Describe(), clause.ScheduleText);
        Assert.Equal(50m, clause.CapPercent);
        Assert.Equal(Duration.FromHours(48), clause.MaintenanceNotice);
    }
}
