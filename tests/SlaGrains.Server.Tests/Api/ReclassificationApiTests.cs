using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Customers;
using SlaGrains.Domain.Availability;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// Issue 20 — exclusions, over real HTTP: the contract's exclusion clauses, a manager reclassifying a monitor's incident
/// (month to date and the dashboard recompute; a closed month keeps its figures and gets a ledger adjustment), bad input
/// as a 400 naming the field that changes nothing, customers who read but never write, and other tenants who find nothing.
/// </summary>
public sealed class ReclassificationApiTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    private static Instant Now => SystemClock.Instance.GetCurrentInstant();

    private static YearMonth MonthsAgo(int months) => Now.InZone(Berlin).Date.ToYearMonth().PlusMonths(-months);

    private IGrainFactory Grains => server.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task A_manager_reclassifies_force_majeure_the_contract_excludes_and_month_to_date_recomputes_while_the_customer_reads_it_but_cannot_write()
    {
        using var admin = await server.AdminAsync();
        // A 30-minute outage an hour ago (in this month unless the month is younger than that: then it starts with the month).
        var monthStart = ReportingPeriod.Month(MonthsAgo(0), Berlin).Start;
        var down = Instant.Max(monthStart, Now - Duration.FromMinutes(90));
        var outage = new Interval(down, down + Duration.FromMinutes(30));
        var (customer, user, contract) = await CustomerAsync(admin, outage);
        var (_, stranger, _) = await CustomerAsync(admin);
        using var manager = await StaffAsync(admin, "manager");
        using var technician = await StaffAsync(admin, "technician");
        var incident = await IncidentAtAsync(admin, customer, outage.Start);
        var before = (await DashboardAsync(admin, customer)).GetProperty("current_month");

        var byCustomer = await user.Http.PostAsJsonAsync($"api/v1/incidents/{incident}/classifications", new { @class = "forceMajeure", reason = "Storm." });
        var byTechnician = await technician.Http.PostAsJsonAsync($"api/v1/incidents/{incident}/classifications", new { @class = "forceMajeure", reason = "Storm." });
        var byStranger = await stranger.Http.PostAsJsonAsync($"api/v1/incidents/{incident}/classifications", new { @class = "forceMajeure", reason = "Storm." });
        var recorded = await manager.Http.PostAsJsonAsync($"api/v1/incidents/{incident}/classifications", new { @class = "forceMajeure", reason = "Regional power failure at the data centre." });
        var created = await recorded.JsonAsync();
        var after = (await DashboardAsync(admin, customer)).GetProperty("current_month");
        var asCustomer = await (await ServerScenario.Ok(user.Http.GetAsync($"api/v1/incidents/{incident}"))).JsonAsync();
        var listed = await (await ServerScenario.Ok(user.Http.GetAsync($"api/v1/customers/{customer}/classifications"))).JsonAsync();
        var strangerReads = await stranger.Http.GetAsync($"api/v1/incidents/{incident}/classifications");
        var strangerLists = await stranger.Http.GetAsync($"api/v1/customers/{customer}/classifications");

        var forceMajeure = Assert.Single(contract.GetProperty("exclusions").EnumerateArray(), e => e.GetProperty("class").GetString() == "forceMajeure");
        Assert.True(forceMajeure.GetProperty("excluded").GetBoolean());
        Assert.Equal("Force majeure: events beyond reasonable control.", forceMajeure.GetProperty("clause").GetString());
        Assert.Equal(30d, before.GetProperty("downtime_minutes").GetDouble());
        Assert.Equal(0d, before.GetProperty("excluded_by_class").GetProperty("force_majeure_minutes").GetDouble());
        Assert.Equal(HttpStatusCode.Forbidden, byCustomer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byTechnician.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byStranger.StatusCode);
        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        Assert.True(created.GetProperty("excluded").GetBoolean());
        Assert.Equal(30d, created.GetProperty("minutes").GetDouble());
        Assert.Equal(outage.Start, At(created.GetProperty("from")));
        Assert.Equal(outage.End, At(created.GetProperty("to")));
        Assert.StartsWith("mona-", created.GetProperty("by").GetString(), StringComparison.Ordinal);

        // Month to date: the force majeure half hour is out of the measured period, like announced maintenance.
        Assert.Equal(0d, after.GetProperty("downtime_minutes").GetDouble());
        Assert.Equal(100m, after.GetProperty("availability_pct").GetDecimal());
        Assert.Equal(30d, after.GetProperty("excluded_by_class").GetProperty("force_majeure_minutes").GetDouble());
        Assert.Equal(30d, after.GetProperty("excluded_minutes").GetDouble());
        Assert.True(after.GetProperty("error_budget").GetProperty("remaining_minutes").GetDouble() > before.GetProperty("error_budget").GetProperty("remaining_minutes").GetDouble());

        // Never silent: on the incident and in the customer's list, with the reason; staff names for staff only.
        var shown = Assert.Single(asCustomer.GetProperty("classifications").EnumerateArray());
        Assert.Equal("Regional power failure at the data centre.", shown.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, shown.GetProperty("by").ValueKind);
        Assert.Equal(created.GetProperty("id").GetString(), Assert.Single(listed.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, strangerReads.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, strangerLists.StatusCode);
    }

    [Fact]
    public async Task Customer_caused_time_the_contract_does_not_exclude_is_labelled_and_still_counts_as_downtime()
    {
        using var admin = await server.AdminAsync();
        var monthStart = ReportingPeriod.Month(MonthsAgo(0), Berlin).Start;
        var down = Instant.Max(monthStart, Now - Duration.FromMinutes(90));
        var outage = new Interval(down, down + Duration.FromMinutes(30));
        var (customer, _, _) = await CustomerAsync(admin, outage);
        using var manager = await StaffAsync(admin, "manager");
        var incident = await IncidentAtAsync(admin, customer, outage.Start);

        var recorded = await (await ServerScenario.Ok(manager.Http.PostAsJsonAsync(
            $"api/v1/incidents/{incident}/classifications", new { @class = "customerCaused", from = outage.Start + Duration.FromMinutes(10), reason = "Their firewall change." }, SlaGrainsServerFixture.Json))).JsonAsync();
        var month = (await DashboardAsync(admin, customer)).GetProperty("current_month");

        Assert.False(recorded.GetProperty("excluded").GetBoolean());
        Assert.Equal(20d, recorded.GetProperty("minutes").GetDouble());
        Assert.Equal(30d, month.GetProperty("downtime_minutes").GetDouble());
        Assert.Equal(0d, month.GetProperty("excluded_by_class").GetProperty("customer_caused_minutes").GetDouble());
    }

    [Fact]
    public async Task Reclassifying_a_closed_month_never_rewrites_it_and_adjusts_its_credit_in_the_ledger_as_a_resolved_dispute_does()
    {
        using var admin = await server.AdminAsync();
        // An hour down last month: 99.86 %, 10 % of a 1,000 fee.
        var down = ReportingPeriod.Month(MonthsAgo(1), Berlin).Start + Duration.FromDays(9) + Duration.FromHours(10);
        var outage = new Interval(down, down + Duration.FromHours(1));
        var (customer, user, _) = await CustomerAsync(admin, outage);
        using var manager = await StaffAsync(admin, "manager");
        var closed = await Grains.GetGrain<ICustomerGrain>(customer).CloseMonth(MonthsAgo(1));
        var incident = await IncidentAtAsync(admin, customer, outage.Start);

        var recorded = await (await ServerScenario.Ok(manager.Http.PostAsJsonAsync(
            $"api/v1/incidents/{incident}/classifications", new { @class = "thirdParty", reason = "Upstream carrier outage (ticket CX-881)." }))).JsonAsync();
        var ledger = await (await ServerScenario.Ok(user.Http.GetAsync($"api/v1/customers/{customer}/credits"))).JsonAsync();
        var history = await Grains.GetGrain<ICustomerGrain>(customer).GetHistory(12);

        Assert.Equal(100m, closed.Credit!.Amount);
        Assert.Equal([MonthsAgo(1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)],
            recorded.GetProperty("adjustedMonths").EnumerateArray().Select(m => m.GetString()));
        var credit = Assert.Single(ledger.EnumerateArray());
        Assert.Equal(100m, credit.GetProperty("amount").GetDecimal());
        Assert.Equal(closed.Credit.AvailabilityPercent, credit.GetProperty("availabilityPercent").GetDecimal());
        var adjustment = credit.GetProperty("adjustment");
        Assert.Equal(0m, adjustment.GetProperty("amount").GetDecimal());
        Assert.Equal(-100m, adjustment.GetProperty("delta").GetDecimal());
        Assert.Equal(100m, adjustment.GetProperty("decidedAvailabilityPercent").GetDecimal());
        Assert.StartsWith("Reclassified third-party", adjustment.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("Upstream carrier outage", adjustment.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // The closed month itself is never rewritten.
        Assert.Equal(closed.Month!.UptimePercent, Assert.Single(history).UptimePercent);
        Assert.Equal(Duration.FromHours(1), history[0].Downtime);
    }

    [Fact]
    public async Task Bad_reclassifications_and_bad_clauses_are_problems_naming_the_field_and_change_nothing()
    {
        using var admin = await server.AdminAsync();
        var monthStart = ReportingPeriod.Month(MonthsAgo(0), Berlin).Start;
        var down = Instant.Max(monthStart, Now - Duration.FromMinutes(90));
        var outage = new Interval(down, down + Duration.FromMinutes(30));
        var (customer, _, _) = await CustomerAsync(admin, outage);
        using var manager = await StaffAsync(admin, "manager");
        var incident = await IncidentAtAsync(admin, customer, outage.Start);
        var path = $"api/v1/incidents/{incident}/classifications";
        var json = SlaGrainsServerFixture.Json;

        var beforeStart = await manager.Http.PostAsJsonAsync(path, new { @class = "forceMajeure", from = outage.Start - Duration.FromMinutes(1), reason = "Storm." }, json);
        var afterEnd = await manager.Http.PostAsJsonAsync(path, new { @class = "forceMajeure", to = outage.End + Duration.FromMinutes(1), reason = "Storm." }, json);
        var unknownClass = await manager.Http.PostAsJsonAsync(path, new { @class = "actOfGod", reason = "Storm." });
        var noReason = await manager.Http.PostAsJsonAsync(path, new { @class = "forceMajeure", reason = "  " });
        var longReason = await manager.Http.PostAsJsonAsync(path, new { @class = "forceMajeure", reason = new string('x', 2_001) });
        await ServerScenario.Ok(manager.Http.PostAsJsonAsync(path, new { @class = "forceMajeure", to = outage.Start + Duration.FromMinutes(10), reason = "Storm." }, json));
        var overlapping = await manager.Http.PostAsJsonAsync(path, new { @class = "thirdParty", from = outage.Start + Duration.FromMinutes(5), reason = "Carrier." }, json);
        var duplicateClause = await admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contract", new
        {
            slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR",
            exclusions = new[] { new { @class = "thirdParty", excluded = true, clause = "" }, new { @class = "thirdParty", excluded = false, clause = "" } },
        });
        var unknownClause = await admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contract", new
        {
            slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR", exclusions = new[] { new { @class = "weather", excluded = true, clause = "" } },
        });
        var longClause = await admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contract", new
        {
            slaTargetPercent = 99.9, monthlyFee = 1000, currency = "EUR", exclusions = new[] { new { @class = "thirdParty", excluded = true, clause = new string('x', 2_001) } },
        });
        var manual = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/customers/{customer}/incidents",
            new { title = "Login slow", components = new[] { $"api-{customer}" }, impact = "degraded", message = "Looking." }))).JsonAsync();
        var manualReclassified = await manager.Http.PostAsJsonAsync($"api/v1/incidents/{manual.GetProperty("id").GetString()}/classifications", new { @class = "forceMajeure", reason = "Storm." });

        await AssertField(beforeStart, "from");
        await AssertField(afterEnd, "to");
        await AssertField(unknownClass, "class");
        await AssertField(noReason, "reason");
        await AssertField(longReason, "reason");
        await AssertField(overlapping, "from");
        await AssertField(duplicateClause, "exclusions[1].class");
        await AssertField(unknownClause, "exclusions[0].class");
        await AssertField(longClause, "exclusions[0].clause");
        Assert.Equal(HttpStatusCode.Conflict, manualReclassified.StatusCode);
        var stored = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/incidents/{incident}/classifications"))).JsonAsync();
        Assert.Single(stored.EnumerateArray());
        var contract = (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}"))).JsonAsync()).GetProperty("contract");
        Assert.Equal(3, contract.GetProperty("exclusions").GetArrayLength());
    }

    private static Instant At(JsonElement value) => NodaTime.Text.InstantPattern.ExtendedIso.Parse(value.GetString()!).Value;

    private static async Task AssertField(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
    }

    private static async Task<JsonElement> DashboardAsync(SlaGrainsServerFixture.Session admin, string customer)
        => await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/dashboard"))).JsonAsync();

    /// <summary>The id of the customer's monitor incident that began at <paramref name="start"/>.</summary>
    private static async Task<string> IncidentAtAsync(SlaGrainsServerFixture.Session admin, string customer, Instant start)
    {
        var incidents = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/incidents"))).JsonAsync();
        return Assert.Single(incidents.EnumerateArray(), i => i.GetProperty("kind").GetString() == "monitor" && At(i.GetProperty("start")) == start).GetProperty("id").GetString()!;
    }

    /// <summary>
    /// A customer (99.9 %, 1,000 EUR a month; force majeure and third-party excluded, customer-caused not) whose critical
    /// monitor was measured from six months back with the outages, and its user.
    /// </summary>
    private async Task<(string Customer, SlaGrainsServerFixture.Session User, JsonElement Contract)> CustomerAsync(SlaGrainsServerFixture.Session admin, params Interval[] outages)
    {
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var saved = await (await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/contract", new
        {
            slaTargetPercent = 99.9,
            monthlyFee = 1000,
            currency = "EUR",
            exclusions = new[]
            {
                new { @class = "forceMajeure", excluded = true, clause = "Force majeure: events beyond reasonable control." },
                new { @class = "customerCaused", excluded = false, clause = "Customer changes count." },
                new { @class = "thirdParty", excluded = true, clause = "Named upstream carriers." },
            },
        }))).JsonAsync();
        var monitor = $"api-{customer}";
        await ServerScenario.MeasuredMonitorAsync(admin.Http, monitor, customer);
        var measured = MeasuredHistory.Between(ReportingPeriod.Month(MonthsAgo(6), Berlin).Start, Now, outages);
        var loaded = await Grains.GetGrain<SlaGrains.Contracts.Monitors.IMonitorGrain>(monitor).IngestBatch([.. measured]);
        Assert.True(loaded.Accepted, loaded.Rejection?.Message);
        var name = $"alice-{customer}";
        await ServerScenario.UserAsync(admin.Http, name, "customer", customerId: customer);
        return (customer, await server.SignInAsync(name, ServerScenario.Password(name)), saved.GetProperty("contract"));
    }

    private async Task<SlaGrainsServerFixture.Session> StaffAsync(SlaGrainsServerFixture.Session admin, string role)
    {
        var name = $"{(role == "manager" ? "mona" : "tess")}-{Guid.NewGuid():N}"[..14];
        await ServerScenario.UserAsync(admin.Http, name, role, team: role == "technician" ? "ops" : null);
        return await server.SignInAsync(name, ServerScenario.Password(name));
    }
}
