using FsCheck.Xunit;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Customers;

namespace SlaGrains.Domain.Tests.Customers;

/// <summary>The customer state machine: configuration, status aggregation, month close.</summary>
public class CustomerRulesTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 7, 3, 12, 0);
    private static readonly Component Api = new("api", isCritical: true);
    private static readonly Component Mail = new("mail", isCritical: false);
    private static readonly Interval June2026 = ReportingPeriod.Month(new YearMonth(2026, 6), DateTimeZone.Utc);

    private static CustomerAccount Configured()
    {
        var state = CustomerAccount.Empty("acme");
        foreach (var command in new CustomerCommand[]
        {
            new SetAgreement(new ServiceAgreement("acme", 99.9m, 1000m, "EUR")),
            new SetCalendar(BusinessCalendar.Create("UTC", WeeklySchedule.Weekdays("09:00", "17:00"))),
            new SetComponents([Api, Mail]),
        })
        {
            state = CustomerRules.Decide(state, command, Now).State;
        }

        return state;
    }

    private static CustomerAccount Report(CustomerAccount state, Component component, ComponentHealth health)
        => CustomerRules.Decide(state, new ReportComponentHealth(component.Id, health, Now), Now).State;

    [Fact]
    public void A_critical_component_down_is_an_outage_even_while_another_is_under_maintenance()
    {
        var state = Report(Report(Configured(), Api, ComponentHealth.Down), Mail, ComponentHealth.Maintenance);

        Assert.Equal(ServiceStatus.Outage, state.Status().Status);
    }

    [Fact]
    public void Only_a_non_critical_component_down_is_degraded()
    {
        Assert.Equal(ServiceStatus.Degraded, Report(Configured(), Mail, ComponentHealth.Down).Status().Status);
    }

    [Fact]
    public void A_component_under_maintenance_reads_under_maintenance_not_outage()
    {
        var status = Report(Report(Configured(), Api, ComponentHealth.Maintenance), Mail, ComponentHealth.Unknown).Status();

        Assert.Equal(ServiceStatus.UnderMaintenance, status.Status);
        Assert.Equal("Under maintenance: api", status.Words);
    }

    [Fact]
    public void A_component_without_data_says_so_in_words_and_is_never_operational()
    {
        var status = Report(Configured(), Api, ComponentHealth.Unknown).Status(new Dictionary<string, string> { ["api"] = "Public API" });

        Assert.Equal(ServiceStatus.Unknown, status.Status);
        Assert.Equal("Status unknown: no data from Public API", status.Words);
    }

    [Fact]
    public void A_health_change_that_changes_the_status_is_an_event_and_a_repeat_decides_nothing()
    {
        var state = Configured();
        var first = CustomerRules.Decide(state, new ReportComponentHealth("api", ComponentHealth.Down, Now), Now);
        var again = CustomerRules.Decide(first.State, new ReportComponentHealth("api", ComponentHealth.Down, Now), Now);

        Assert.Contains(first.Events, e => e is ServiceStatusChanged { Status.Status: ServiceStatus.Outage });
        Assert.Empty(again.Events);
    }

    [Fact]
    public void Contract_and_calendar_start_the_month_end_deadline_once()
    {
        var state = Configured();

        Assert.Equal(new YearMonth(2026, 7), state.NextMonthToClose);
        Assert.DoesNotContain(CustomerRules.Decide(state, new SetComponents([Api]), Now).Events, e => e is MonthCloseScheduled);
    }

    [Fact]
    public void An_agreement_for_another_customer_is_rejected_and_changes_nothing()
    {
        var decision = CustomerRules.Decide(CustomerAccount.Empty("acme"), new SetAgreement(new ServiceAgreement("other", 99.9m, 1m, "EUR")), Now);

        Assert.Equal("agreement-for-another-customer", decision.Rejection?.Code);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void A_tier_change_retargets_open_tickets()
    {
        var decision = CustomerRules.Decide(Configured(), new SetCalendar(BusinessCalendar.Create("Europe/Berlin", WeeklySchedule.Weekdays("08:00", "18:00"))), Now);

        Assert.Contains(decision.Events, e => e is OpenTicketsRetargeted);
    }

    [Fact]
    public void A_month_closes_once_and_closing_it_again_decides_nothing()
    {
        var state = Configured();
        var evidence = new CloseMonth(new YearMonth(2026, 6), [new ComponentDowntime(Api, [new Interval(Instant.FromUtc(2026, 6, 2, 0, 0), Instant.FromUtc(2026, 6, 2, 2, 0))])], []);

        var first = CustomerRules.Decide(state, evidence, Now);
        var again = CustomerRules.Decide(first.State, evidence with { Evidence = [] }, Now);

        var closed = Assert.Single(first.Events.OfType<MonthClosed>());
        Assert.Equal(TargetVerdict.Missed, closed.Close.SlaVerdict);
        Assert.NotNull(closed.Close.Credit);
        Assert.True(again.Accepted);
        Assert.Empty(again.Events);
    }

    [Fact]
    public void A_month_without_data_closes_as_insufficient_data_with_no_automatic_credit()
    {
        var decision = CustomerRules.Decide(Configured(), new CloseMonth(new YearMonth(2026, 6), [new ComponentDowntime(Api, [], [June2026])], []), Now);

        var close = Assert.Single(decision.Events.OfType<MonthClosed>()).Close;
        Assert.Equal(TargetVerdict.InsufficientData, close.SlaVerdict);
        Assert.Null(close.Credit);
        Assert.Contains("a manager decides", close.CreditReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_month_not_over_is_rejected()
    {
        var decision = CustomerRules.Decide(Configured(), new CloseMonth(new YearMonth(2026, 7), [], []), Now);

        Assert.Equal("month-not-over", decision.Rejection?.Code);
    }

    [Property]
    public bool Status_never_reads_operational_while_a_component_is_not_up(bool apiCritical, int apiHealth, int mailHealth)
    {
        var api = new Component("api", apiCritical);
        var readings = new[] { new ComponentReading(api, (ComponentHealth)(((apiHealth % 4) + 4) % 4)), new ComponentReading(Mail, (ComponentHealth)(((mailHealth % 4) + 4) % 4)) };
        var status = CustomerStatus.Summarize(readings).Status;

        return (status == ServiceStatus.Operational) == readings.All(r => r.Health == ComponentHealth.Up)
            && (status == ServiceStatus.Outage) == readings.Any(r => r.Health == ComponentHealth.Down && r.Component.IsCritical);
    }

    [Property]
    public bool Replaying_the_events_gives_the_state_the_decisions_left(int[] healths)
    {
        var state = Configured();
        var start = state;
        var events = new List<CustomerEvent>();
        foreach (var (h, i) in healths.Select((h, i) => (h, i)))
        {
            var component = i % 2 == 0 ? Api : Mail;
            var decision = CustomerRules.Decide(state, new ReportComponentHealth(component.Id, (ComponentHealth)(((h % 4) + 4) % 4), Now), Now);
            events.AddRange(decision.Events);
            state = decision.State;
        }

        var replayed = events.Aggregate(start, CustomerRules.Apply);
        return replayed.Health.OrderBy(h => h.Key, StringComparer.Ordinal).SequenceEqual(state.Health.OrderBy(h => h.Key, StringComparer.Ordinal))
            && replayed.Status().Words == state.Status().Words;
    }
}
