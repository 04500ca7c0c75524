using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Server.Tests.Security;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// Warning thresholds per policy and escalation rules checked against them, through the API: a rule names a percent
/// the policy warns at (or the breach) and a user, team or role that exists, and then it fires and acts.
/// </summary>
public sealed class PolicyWarningsApiTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    /// <summary>Gold with 24×7 targets; P1's first response and warnings as given, the other priorities warn at the default.</summary>
    internal static object Policy(string p1FirstResponse, int[] p1Warnings, int[]? p2Warnings = null) => new
    {
        name = "Gold",
        targets = new Dictionary<string, object>
        {
            ["p1"] = new { firstResponse = p1FirstResponse, resolution = "PT8H", coverage = "aroundTheClock", warnings = p1Warnings },
            ["p2"] = p2Warnings is null
                ? new { firstResponse = "PT4H", resolution = "PT24H", coverage = "aroundTheClock" }
                : (object)new { firstResponse = "PT4H", resolution = "PT24H", coverage = "aroundTheClock", warnings = p2Warnings },
            ["p3"] = new { firstResponse = "PT8H", resolution = "PT72H" },
            ["p4"] = new { firstResponse = "PT24H", resolution = "PT120H" },
        },
    };

    [Fact]
    public async Task Warnings_on_a_tier_round_trip_through_get_ascending_with_75_where_omitted()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);

        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/policy", Policy("PT1H", [90, 50, 75])));
        var saved = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}"))).JsonAsync();

        var targets = saved.GetProperty("policy").GetProperty("targets");
        Assert.Equal([50, 75, 90], targets.GetProperty("p1").GetProperty("warnings").EnumerateArray().Select(w => w.GetInt32()));
        Assert.Equal([75], targets.GetProperty("p3").GetProperty("warnings").EnumerateArray().Select(w => w.GetInt32()));
    }

    [Fact]
    public async Task Warnings_outside_1_to_99_are_400_naming_the_entry_and_change_nothing()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);

        var response = await admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/policy", Policy("PT1H", [50, 100]));
        var problem = await response.JsonAsync();
        var saved = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}"))).JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("targets.p1.warnings[1]", out _), problem.ToString());
        Assert.Equal([75], saved.GetProperty("policy").GetProperty("targets").GetProperty("p1").GetProperty("warnings").EnumerateArray().Select(w => w.GetInt32()));
    }

    [Fact]
    public async Task A_rule_at_60_percent_is_400_listing_the_percents_the_customer_warns_at()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/policy", Policy("PT1H", [50, 90])));

        var response = await admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/escalation-rules", new[]
        {
            new { id = "sixty", metric = "resolution", percent = 60, action = "notify", target = "role:manager" },
        });
        var problem = await response.JsonAsync();
        var rules = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/escalation-rules"))).JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            $"Customer '{customer}' warns at 50, 75 and 90 %; a rule fires at one of those or at 100 (the breach).",
            problem.GetProperty("errors").GetProperty("$[0].percent")[0].GetString());
        Assert.Equal(0, rules.GetArrayLength());
    }

    [Fact]
    public async Task A_policy_change_that_drops_a_percent_a_rule_fires_at_is_400_naming_the_rule()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/policy", Policy("PT1H", [50])));
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/customers/{customer}/escalation-rules", new { id = "p1-half", metric = "resolution", percent = 50, action = "notify", target = "role:manager", onlyPriority = "p1" }));

        var response = await admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/policy", Policy("PT1H", [75]));
        var problem = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'p1-half'", problem.GetProperty("errors").GetProperty("targets.p1.warnings")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bug_a_reassign_rule_to_a_name_that_is_no_user_is_400_naming_the_target_instead_of_changing_nothing()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);

        var response = await admin.Http.PostAsJsonAsync($"api/v1/customers/{customer}/escalation-rules", new { metric = "resolution", percent = 100, action = "reassign", target = "lena.fischer" });
        var problem = await response.JsonAsync();
        var rules = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/escalation-rules"))).JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("lena.fischer", problem.GetProperty("errors").GetProperty("$.target")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, rules.GetArrayLength());
    }

    [Fact]
    public async Task A_rule_at_50_percent_is_accepted_when_the_policy_warns_at_50_and_fires_when_the_clock_reaches_it()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/policy", Policy("PT4S", [50])));
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/escalation-rules", new[]
        {
            new { id = "half-way", metric = "firstResponse", percent = 50, action = "notify", target = "manager" },
        }));
        var rules = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/customers/{customer}/escalation-rules"))).JsonAsync();
        var name = $"wm-{Guid.NewGuid():N}"[..12];
        await ServerScenario.UserAsync(admin.Http, name, "manager");
        using var manager = await server.SignInAsync(name, ServerScenario.Password(name));
        await using var hub = manager.Hub();
        var raised = new TaskCompletionSource<EscalationView>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<EscalationView>("EscalationRaised", e =>
        {
            if (e.Alert.CustomerId == customer)
            {
                raised.TrySetResult(e);
            }
        });
        await hub.StartAsync();

        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p1", subject = "Half way" }));
        var escalation = await raised.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var inbox = await (await ServerScenario.Ok(manager.Http.GetAsync($"api/v1/escalations?customer={customer}"))).JsonAsync();

        Assert.Equal("role:manager", rules[0].GetProperty("target").GetString());
        Assert.Equal(50, escalation.Alert.Percent);
        Assert.False(escalation.Alert.IsBreach);
        Assert.Contains(inbox.GetProperty("items").EnumerateArray(), e => e.GetProperty("escalationId").GetString() == escalation.EscalationId);
    }

    [Fact]
    public async Task A_reassign_rule_to_an_existing_user_reassigns_the_ticket_on_breach()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, firstResponse: "PT1S");
        var technician = $"lena-{Guid.NewGuid():N}"[..14];
        await ServerScenario.UserAsync(admin.Http, technician, "technician", team: "infrastructure");
        var added = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/customers/{customer}/escalation-rules",
            new { metric = "firstResponse", percent = 100, action = "reassign", target = technician }))).JsonAsync();
        var name = $"wm-{Guid.NewGuid():N}"[..12];
        await ServerScenario.UserAsync(admin.Http, name, "manager");
        using var manager = await server.SignInAsync(name, ServerScenario.Password(name));
        await using var hub = manager.Hub();
        var reassigned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<JsonElement>("TicketClockChanged", t =>
        {
            if (t.GetProperty("customerId").GetString() == customer && t.GetProperty("assignee").GetString() == technician)
            {
                reassigned.TrySetResult();
            }
        });
        await hub.StartAsync();

        var ticket = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p1", subject = "Nobody on it", team = "service-desk" }))).JsonAsync();
        await reassigned.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var after = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/{ticket.GetProperty("ticketId").GetString()}"))).JsonAsync();

        Assert.Equal($"user:{technician}", added.GetProperty("target").GetString());
        Assert.Equal(technician, after.GetProperty("assignee").GetString());
    }
}

/// <summary>Changing a policy's warnings re-arms the open tickets, on a clock the test moves forward.</summary>
public sealed class PolicyWarningsRearmTests(MovableClockServer server) : IClassFixture<MovableClockServer>
{
    [Fact]
    public async Task Changing_warnings_rearms_open_tickets_without_firing_thresholds_already_passed()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        // P1 warns at 75 %; P2's 50 and 60 % let rules at those percents exist before P1 warns there too.
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/policy", PolicyWarningsApiTests.Policy("PT8H", [75], p2Warnings: [50, 60])));
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/escalation-rules", new[]
        {
            new { id = "fifty", metric = "resolution", percent = 50, action = "notify", target = "role:manager" },
            new { id = "sixty", metric = "resolution", percent = 60, action = "notify", target = "role:manager" },
        }));
        var ticket = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p1", subject = "Slow" }))).JsonAsync();
        var id = ticket.GetProperty("ticketId").GetString();

        // 5 h of 8 h: 62.5 %, past 50 and 60, short of 75.
        server.Clock.Advance(TimeSpan.FromHours(5));
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/policy", PolicyWarningsApiTests.Policy("PT8H", [50, 60, 75, 90], p2Warnings: [50, 60])));
        var after = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/{id}"))).JsonAsync();
        var escalations = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/escalations?customer={customer}"))).JsonAsync();

        var resolution = after.GetProperty("clocks").EnumerateArray().Single(c => c.GetProperty("metric").GetString() == "resolution");
        Assert.Equal(75, resolution.GetProperty("nextThresholdPercent").GetInt32());
        Assert.DoesNotContain(after.GetProperty("audit").EnumerateArray(), a => a.TryGetProperty("threshold", out var t) && t.ValueKind == JsonValueKind.Number && t.GetInt32() is 50 or 60);
        Assert.Equal(0, escalations.GetProperty("total").GetInt32());
    }
}
