using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SlaGrains.Server.Tests.Api;

/// <summary><c>GET /api/v1/tickets/{id}?at=</c>: the ticket's clocks as they stood at an instant, replayed from its events.</summary>
public sealed class TicketReplayApiTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    [Fact]
    public async Task A_ticket_read_at_an_earlier_instant_shows_its_clocks_and_status_as_they_stood_then()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http, firstResponse: "PT30M", resolution: "PT4H");
        var created = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p1", subject = "Mail down", team = "red" }))).JsonAsync();
        var id = created.GetProperty("ticketId").GetString();
        var openedAt = created.GetProperty("createdAt").GetString()!;
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/tickets/{id}/replies", new { from = "agent" }));
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/tickets/{id}/status", new { status = "waitingOnCustomer" }));

        var then = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/{id}?at={Uri.EscapeDataString(openedAt)}"))).JsonAsync();
        var now = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/{id}"))).JsonAsync();

        Assert.Equal("new", then.GetProperty("status").GetString());
        Assert.Equal(openedAt, then.GetProperty("asOf").GetString());
        Assert.Equal(["running", "running"], Clocks(then).Select(c => c.GetProperty("state").GetString()!).ToArray());
        Assert.All(Clocks(then), c => Assert.Equal("PT0S", c.GetProperty("elapsed").GetString()));
        Assert.DoesNotContain(then.GetProperty("audit").EnumerateArray(), a => a.GetProperty("kind").GetString() == "ClockPaused");
        Assert.Equal("waitingOnCustomer", now.GetProperty("status").GetString());
        Assert.Equal("paused", Clocks(now).Single(c => c.GetProperty("metric").GetString() == "resolution").GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("2099-12-31T00:00:00Z")]
    [InlineData("2001-01-01T00:00:00Z")]
    [InlineData("yesterday")]
    [InlineData("2200-01-01T00:00:00Z")]
    public async Task An_instant_after_now_before_the_ticket_or_not_an_instant_is_a_problem_naming_at(string at)
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var created = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p2", subject = "Printer" }))).JsonAsync();

        using var response = await admin.Http.GetAsync($"api/v1/tickets/{created.GetProperty("ticketId").GetString()}?at={Uri.EscapeDataString(at)}");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("at", out var messages), $"no error for 'at' in {problem}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
    }

    [Fact]
    public async Task A_ticket_that_does_not_exist_is_not_found_at_any_instant()
    {
        using var admin = await server.AdminAsync();

        using var response = await admin.Http.GetAsync("api/v1/tickets/never-opened?at=2026-01-01T00:00:00Z");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static JsonElement[] Clocks(JsonElement ticket) => [.. ticket.GetProperty("clocks").EnumerateArray()];
}
