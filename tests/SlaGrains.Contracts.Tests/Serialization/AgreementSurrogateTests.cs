using SlaGrains.Contracts.Serialization;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Credits;
using static SlaGrains.Contracts.Tests.Serialization.OrleansRoundTrip;

namespace SlaGrains.Contracts.Tests.Serialization;

public sealed class AgreementSurrogateTests
{
    private static readonly CreditSchedule Steep = new(
    [
        new CreditTier(0m, 90m, 100m),
        new CreditTier(90m, 99.5m, 30m),
        new CreditTier(99.5m, 99.95m, 5m),
    ]);

    public static TheoryData<ServiceAgreement> Agreements => new()
    {
        new ServiceAgreement("acme", 99.9m, 1200.50m, "EUR"),
        new ServiceAgreement("globex", 99.5m, 0m, "USD", Steep, sloTargetPercent: 99.95m, creditCapPercent: 100m, maintenanceNotice: Duration.FromDays(7)),
        new ServiceAgreement("initech", 100m, 99.99m, "GBP", sloBudgetFraction: 0.5m, maintenanceNotice: Duration.Zero),
        new ServiceAgreement("umbrella", 99.0m, 5000m, "CHF", sloBudgetFraction: 0.1m, creditCapPercent: 0m),
        new ServiceAgreement("hooli", 99.9m, 100m, "EUR", minimumCoveragePercent: 80.5m),
        new ServiceAgreement("wayne", 99.9m, 100m, "EUR", latencyCommitmentPercent: 95.5m),
        // Issue 20 — ticket-SLA credits
        new ServiceAgreement("stark", 99.9m, 100m, "EUR")
        {
            TicketCredits =
            [
                new TicketCreditClause(Domain.Tickets.SlaMetric.FirstResponse, [Domain.Tickets.TicketPriority.P1, Domain.Tickets.TicketPriority.P2], new CreditSchedule([new CreditTier(0m, 95m, 5m)]), 5m),
                new TicketCreditClause(Domain.Tickets.SlaMetric.Resolution, [Domain.Tickets.TicketPriority.P1], Steep, 12.5m),
            ],
        },

        // Issue 20 — remedies and term
        new ServiceAgreement("rogers", 99.9m, 5000m, "USD")
        {
            Remedies = new RemedyClause([new RemedyRule(3, 6, RemedyKind.ExtraCredit, 10m), new RemedyRule(4, 12, RemedyKind.TerminationRight)]),
            Term = new ContractTerm(new LocalDate(2026, 3, 1), 12, 12, 90),
        },

        new ServiceAgreement("parker", 99.9m, 100m, "EUR")
        {
            // Issue 20 — exclusions
            Exclusions = new([new(ExclusionClass.ThirdParty, false, "Carriers are ours."), new(ExclusionClass.ForceMajeure, true, "Acts of God.")]),
        },
    };

    [Theory]
    [MemberData(nameof(Agreements))]
    public void Service_agreement_round_trips_with_its_slo_schedule_and_notice(ServiceAgreement agreement)
    {
        foreach (var (way, copy) in BothWays(agreement))
        {
            Assert.True(agreement == copy, way);
            Assert.Equal(agreement.SloTargetPercent, copy.SloTargetPercent);
            Assert.Equal(agreement.CreditSchedule, copy.CreditSchedule);
            Assert.Equal(agreement.CreditTerms, copy.CreditTerms);
            Assert.Equal(agreement.MaintenanceNotice, copy.MaintenanceNotice);
            Assert.Equal(agreement.CreditFor(97.25m), copy.CreditFor(97.25m));
            Assert.Equal(agreement.MinimumCoveragePercent, copy.MinimumCoveragePercent);
            Assert.Equal(agreement.LatencyCommitmentPercent, copy.LatencyCommitmentPercent);
            Assert.Equal(agreement.TicketCredits.ToArray(), copy.TicketCredits.ToArray());
            Assert.Equal(agreement.Remedies, copy.Remedies);
            Assert.Equal(agreement.Term, copy.Term);
            Assert.Equal(agreement.Exclusions, copy.Exclusions); // Issue 20 — exclusions
        }
    }

    [Fact]
    public void An_agreement_stored_before_the_coverage_term_existed_loads_needing_90_percent()
    {
        // Field 8 missing, as written by the previous version: it reads as 0, which the converter maps to 90.
        var stored = Serializer.SerializeToArray(new ServiceAgreementSurrogate
        {
            CustomerId = "acme",
            SlaTargetPercent = 99.9m,
            SloTargetPercent = 99.98m,
            MonthlyFee = 1000m,
            Currency = "EUR",
            CreditSchedule = CreditSchedule.Default,
            CreditCapPercent = 50m,
            MaintenanceNotice = Duration.FromHours(48),
        });

        var loaded = Serializer.Deserialize<ServiceAgreement>(stored)!;

        Assert.Equal(90m, loaded.MinimumCoveragePercent);
        Assert.Equal(new ServiceAgreement("acme", 99.9m, 1000m, "EUR"), loaded);
    }

    [Fact]
    public void Credit_schedules_and_tiers_round_trip()
    {
        foreach (var schedule in new[] { CreditSchedule.Default, Steep })
        {
            foreach (var (way, copy) in BothWays(schedule))
            {
                Assert.True(schedule == copy, way);
                Assert.Equal(schedule.Describe(), copy.Describe());
            }

            foreach (var tier in schedule.Tiers)
            {
                Assert.Equal(tier, ThroughBytes(tier));
                Assert.Equal(tier, ThroughCopier(tier));
            }
        }
    }

    [Fact]
    public void Maintenance_windows_round_trip_announced_or_not()
    {
        var start = Instant.FromUtc(2025, 11, 2, 1, 0);
        var windows = new[]
        {
            new MaintenanceWindow(start, start + Duration.FromHours(2), start - Duration.FromHours(48)),
            new MaintenanceWindow(start, start + Duration.FromMinutes(30)),
            new MaintenanceWindow(start, start),
        };
        foreach (var window in windows)
        {
            foreach (var (way, copy) in BothWays(window))
            {
                Assert.True(window == copy, way);
                Assert.Equal(window.IsExcluded(MaintenanceWindow.DefaultNotice), copy.IsExcluded(MaintenanceWindow.DefaultNotice));
            }
        }
    }

    [Fact]
    public void Check_results_and_components_round_trip()
    {
        var at = Instant.FromUtc(2025, 11, 2, 1, 0) + Duration.FromNanoseconds(17);
        var values = (CheckResult.Up(at), CheckResult.Down(at, "eu-west"), CheckResult.Down(at, string.Empty), new Component("api", true), new Component("status-mail", false));
        foreach (var (way, copy) in BothWays(values))
        {
            Assert.True(values == copy, way);
            Assert.Null(copy.Item1.Region);
            Assert.Equal(string.Empty, copy.Item3.Region);
        }
    }

    [Fact]
    public void A_probe_result_keeps_its_response_time_and_a_pushed_one_has_none()
    {
        var at = Instant.FromUtc(2026, 11, 20, 10, 0);
        var values = (new CheckResult(at, CheckOutcome.Up, "eu-west", Duration.FromMilliseconds(42.5)), CheckResult.Down(at));
        foreach (var (way, copy) in BothWays(values))
        {
            Assert.True(values == copy, way);
            Assert.Equal(Duration.FromMilliseconds(42.5), copy.Item1.ResponseTime);
            Assert.Null(copy.Item2.ResponseTime);
        }
    }
}
