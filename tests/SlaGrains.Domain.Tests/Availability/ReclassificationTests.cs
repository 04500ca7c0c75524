using FsCheck.Xunit;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Tests.Availability;

/// <summary>
/// Issue 20 — exclusions: reclassifying an incident's downtime to a cause the contract names. Examples from contracts
/// (a 99.9 % June of 43,200 minutes with one 90-minute outage of the API), then the properties.
/// </summary>
public class ReclassificationTests
{
    private static readonly Interval June = ReportingPeriod.Month(new YearMonth(2026, 6), DateTimeZone.Utc);
    private static readonly Instant OutageStart = Instant.FromUtc(2026, 6, 10, 10, 0);
    private static readonly Instant OutageEnd = OutageStart + Duration.FromMinutes(90);
    private static readonly Instant Now = Instant.FromUtc(2026, 6, 20, 0, 0);
    private static readonly IncidentBounds Incident = new("api-1", "api", OutageStart, OutageEnd);

    private static readonly ExclusionClause[] ForceMajeureExcluded =
    [
        new(ExclusionClass.ForceMajeure, true, "Events beyond our reasonable control are excluded."),
        new(ExclusionClass.CustomerCaused, false, "Customer changes count as downtime."),
    ];

    private static ComponentDowntime[] Components(params Interval[] down) => [new(new Component("api", isCritical: true), down)];

    private static IncidentClassification Classify(ExclusionClass cause, Instant? from = null, Instant? to = null, IReadOnlyList<IncidentClassification>? existing = null)
        => Reclassification.Decide(existing ?? [], Incident, new ReclassifyIncident(cause, from, to, "Regional power failure at the data centre.", "mona"), Now).Classification!;

    private static ReclassifiedAvailability Measure(IEnumerable<IncidentClassification> classified, IEnumerable<ExclusionClause>? clauses = null, params MaintenanceWindow[] maintenance)
        => Reclassification.Compute(June, Components(new Interval(OutageStart, OutageEnd)), maintenance, MaintenanceWindow.DefaultNotice, classified, clauses ?? ForceMajeureExcluded);

    [Fact]
    public void Force_majeure_the_contract_excludes_leaves_the_measured_period_like_announced_maintenance()
    {
        var whole = Classify(ExclusionClass.ForceMajeure);

        var measured = Measure([whole]);

        Assert.Equal(new Interval(OutageStart, OutageEnd), whole.Interval);
        Assert.Equal("api-1.c1", whole.Id);
        Assert.Equal(Duration.Zero, measured.Availability.Sla.Downtime);
        Assert.Equal(100m, measured.Availability.Sla.UptimePercent);
        Assert.Equal(Duration.FromMinutes(90), measured.ExcludedByClass.ForceMajeure);
        Assert.Equal(measured.Availability.Sla.Excluded, measured.ExcludedByClass.Total);
        var asMaintenance = CustomerAvailability.Compute(June, Components(new Interval(OutageStart, OutageEnd)), [new MaintenanceWindow(OutageStart, OutageEnd)]).Sla;
        Assert.Equal((asMaintenance.UptimePercent, asMaintenance.Downtime, asMaintenance.Excluded, asMaintenance.Measured),
            (measured.Availability.Sla.UptimePercent, measured.Availability.Sla.Downtime, measured.Availability.Sla.Excluded, measured.Availability.Sla.Measured));
    }

    [Fact]
    public void Customer_caused_time_the_contract_does_not_exclude_stays_downtime_and_is_only_labelled()
    {
        var measured = Measure([Classify(ExclusionClass.CustomerCaused)]);

        Assert.Equal(Duration.FromMinutes(90), measured.Availability.Sla.Downtime);
        Assert.Equal(99.7916m, measured.Availability.Sla.UptimePercent);
        Assert.Equal(ExcludedTime.None, measured.ExcludedByClass);
    }

    [Fact]
    public void A_class_without_a_clause_may_be_recorded_and_counts_as_downtime()
    {
        var thirdParty = Classify(ExclusionClass.ThirdParty);

        Assert.NotNull(thirdParty);
        Assert.Equal(Duration.FromMinutes(90), Measure([thirdParty]).Availability.Sla.Downtime);
    }

    [Fact]
    public void Half_an_outage_reclassified_excludes_only_that_half_and_maintenance_is_counted_first()
    {
        var half = Classify(ExclusionClass.ForceMajeure, OutageStart + Duration.FromMinutes(45), OutageEnd);
        var maintenance = new MaintenanceWindow(OutageEnd - Duration.FromMinutes(15), OutageEnd + Duration.FromMinutes(15), announcedAt: OutageStart - Duration.FromDays(3));

        var measured = Measure([half], null, maintenance);

        Assert.Equal(Duration.FromMinutes(45), measured.Availability.Sla.Downtime);
        Assert.Equal(Duration.FromMinutes(30), measured.ExcludedByClass.Maintenance);
        Assert.Equal(Duration.FromMinutes(30), measured.ExcludedByClass.ForceMajeure);
        Assert.Equal(measured.Availability.Sla.Excluded, measured.ExcludedByClass.Total);
    }

    [Fact]
    public void A_non_critical_components_reclassified_time_never_changes_the_customers_period()
    {
        var components = new[] { new ComponentDowntime(new Component("api", isCritical: false), [new Interval(OutageStart, OutageEnd)]) };

        var measured = Reclassification.Compute(June, components, [], MaintenanceWindow.DefaultNotice, [Classify(ExclusionClass.ForceMajeure)], ForceMajeureExcluded);

        Assert.Equal(June.Duration, measured.Availability.Sla.Measured);
        Assert.Equal(ExcludedTime.None, measured.ExcludedByClass);
    }

    [Fact]
    public void An_ongoing_incident_is_reclassified_up_to_now()
    {
        var ongoing = Incident with { End = null };

        var decided = Reclassification.Decide([], ongoing, new ReclassifyIncident(ExclusionClass.ThirdParty, null, null, "Carrier fibre cut.", "mona"), Now);

        Assert.Equal(new Interval(OutageStart, Now), decided.Classification!.Interval);
    }

    [Theory]
    [InlineData(-1, 30, "from")]
    [InlineData(0, 91, "to")]
    [InlineData(90, 95, "from")]
    [InlineData(30, 30, "to")]
    [InlineData(40, 20, "to")]
    public void A_part_outside_the_incident_or_empty_is_a_problem_naming_the_field(int fromMinute, int toMinute, string field)
    {
        var decided = Reclassification.Decide(
            [], Incident, new ReclassifyIncident(ExclusionClass.ForceMajeure, OutageStart + Duration.FromMinutes(fromMinute), OutageStart + Duration.FromMinutes(toMinute), "Storm.", "mona"), Now);

        Assert.Null(decided.Classification);
        Assert.Equal(field, decided.Field);
    }

    [Fact]
    public void Overlapping_an_existing_part_of_the_same_incident_is_a_problem_naming_from_but_another_incident_is_free()
    {
        var first = Classify(ExclusionClass.ForceMajeure, OutageStart, OutageStart + Duration.FromMinutes(30));

        var overlap = Reclassification.Decide([first], Incident, new ReclassifyIncident(ExclusionClass.ThirdParty, OutageStart + Duration.FromMinutes(29), null, "Carrier.", "mona"), Now);
        var adjacent = Reclassification.Decide([first], Incident, new ReclassifyIncident(ExclusionClass.ThirdParty, OutageStart + Duration.FromMinutes(30), null, "Carrier.", "mona"), Now);
        var other = Reclassification.Decide([first], Incident with { IncidentId = "api-2" }, new ReclassifyIncident(ExclusionClass.ThirdParty, null, null, "Carrier.", "mona"), Now);

        Assert.Equal("from", overlap.Field);
        Assert.Equal("api-1.c2", adjacent.Classification!.Id);
        Assert.Equal("api-2.c1", other.Classification!.Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_reclassification_without_a_reason_is_a_problem_naming_reason(string reason)
    {
        var decided = Reclassification.Decide([], Incident, new ReclassifyIncident(ExclusionClass.ForceMajeure, null, null, reason, "mona"), Now);

        Assert.Equal("reason", decided.Field);
    }

    [Fact]
    public void An_unknown_class_is_a_problem_naming_class()
        => Assert.Equal("class", Reclassification.Decide([], Incident, new ReclassifyIncident((ExclusionClass)9, null, null, "?", "mona"), Now).Field);

    [Fact]
    public void A_contract_has_one_clause_per_class_and_clauses_are_bounded()
    {
        Assert.Null(ExclusionClause.Problem(ForceMajeureExcluded));
        Assert.Equal("exclusions[1].class", ExclusionClause.Problem([new(ExclusionClass.ThirdParty, true, ""), new(ExclusionClass.ThirdParty, false, "")])?.Field);
        Assert.Equal("exclusions[0].clause", ExclusionClause.Problem([new(ExclusionClass.ThirdParty, true, new string('x', ExclusionClause.MaxClause + 1))])?.Field);
    }

    // Properties: over June, one critical component with arbitrary outages and maintenance, one incident among them.
    private const int MinutesInJune = 30 * 24 * 60;

    private static int Wrap(int value, int modulus) => ((value % modulus) + modulus) % modulus;

    private static Interval Span(int start, int length)
    {
        var from = June.Start + Duration.FromMinutes(Wrap(start, MinutesInJune));
        return new Interval(from, from + Duration.FromMinutes(1 + Wrap(length, 720)));
    }

    private static (ComponentDowntime[] Components, MaintenanceWindow[] Maintenance, IncidentBounds Incident, IncidentClassification Part) World(
        int[] starts, int[] lengths, int[] maintenance, int incidentStart, int incidentLength, int partFrom, int partLength, ExclusionClass cause)
    {
        var incident = Span(incidentStart, incidentLength);
        var down = starts.Zip(lengths, Span).Append(incident).ToArray();
        var windows = maintenance.Select(m => Span(m, m / 3)).Select(i => new MaintenanceWindow(i.Start, i.End)).ToArray();
        var bounds = new IncidentBounds("api-1", "api", incident.Start, incident.End);
        var minutes = (int)incident.Duration.TotalMinutes;
        var from = incident.Start + Duration.FromMinutes(Wrap(partFrom, minutes));
        var to = from + Duration.FromMinutes(1 + Wrap(partLength, (int)(incident.End - from).TotalMinutes));
        var part = Reclassification.Decide([], bounds, new ReclassifyIncident(cause, from, to, "Because.", "mona"), Now).Classification!;
        return ([new ComponentDowntime(new Component("api", isCritical: true), down)], windows, bounds, part);
    }

    [Property]
    public bool Reclassifying_never_raises_availability_above_what_the_exclusion_allows(
        int[] starts, int[] lengths, int[] maintenance, int incidentStart, int incidentLength, int partFrom, int partLength, bool forceMajeure)
    {
        var cause = forceMajeure ? ExclusionClass.ForceMajeure : ExclusionClass.CustomerCaused;
        var (components, windows, incident, part) = World(starts ?? [], lengths ?? [], maintenance ?? [], incidentStart, incidentLength, partFrom, partLength, cause);
        var notice = MaintenanceWindow.DefaultNotice;

        var reclassified = Reclassification.Compute(June, components, windows, notice, [part], ForceMajeureExcluded).Availability.Sla;
        var unclassified = CustomerAvailability.Compute(June, components, windows, notice).Sla;
        var intervalExcluded = CustomerAvailability.Compute(June, components, [.. windows, new MaintenanceWindow(part.From, part.To)], notice).Sla;
        var wholeIncidentExcluded = CustomerAvailability.Compute(June, components, [.. windows, new MaintenanceWindow(incident.Start, incident.End!.Value)], notice).Sla;

        var expected = forceMajeure ? intervalExcluded : unclassified;
        return reclassified.UptimePercent == expected.UptimePercent
            && reclassified.Downtime == expected.Downtime
            && reclassified.Excluded == expected.Excluded
            && reclassified.UptimePercent <= 100m
            && reclassified.UptimePercent >= unclassified.UptimePercent
            && reclassified.UptimePercent <= wholeIncidentExcluded.UptimePercent;
    }

    [Property]
    public bool Excluded_time_by_class_always_sums_to_the_excluded_total(
        int[] starts, int[] lengths, int[] maintenance, int incidentStart, int incidentLength, int partFrom, int partLength, bool forceMajeure)
    {
        var cause = forceMajeure ? ExclusionClass.ForceMajeure : ExclusionClass.ThirdParty;
        var (components, windows, _, part) = World(starts ?? [], lengths ?? [], maintenance ?? [], incidentStart, incidentLength, partFrom, partLength, cause);
        ExclusionClause[] all = [new(ExclusionClass.ForceMajeure, true, ""), new(ExclusionClass.ThirdParty, true, ""), new(ExclusionClass.CustomerCaused, true, "")];

        var measured = Reclassification.Compute(June, components, windows, MaintenanceWindow.DefaultNotice, [part], all);

        return measured.ExcludedByClass.Total == measured.Availability.Sla.Excluded
            && measured.ExcludedByClass.Of(cause) <= part.Interval.Duration;
    }
}
