using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SlaGrains.Server.Tests.Fuzz;

/// <summary>
/// What the framework refuses before an endpoint runs, on the real server: a 400 (or 415) problem+json naming the JSON
/// path or parameter, in our words (no .NET type names, no exception text), and nothing changed.
/// </summary>
public sealed class BadInputProblemTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    [Theory]
    [InlineData("$.add", """{"calendar": {"timeZone": "UTC"}, "start": "2026-03-02T08:00:00Z", "add": "P99999999999999999999999999999D"}""")]
    [InlineData("$.add", """{"calendar": {"timeZone": "UTC"}, "start": "2026-03-02T08:00:00Z", "add": "PT99999999999999999999.999999999999S"}""")]
    [InlineData("$.start", """{"calendar": {"timeZone": "UTC"}, "start": "9999-12-31T23:59:59-01:00", "add": "PT1H"}""")]
    [InlineData("$.start", """{"calendar": {"timeZone": "UTC"}, "start": "2026-03-02T08:00:00Z\u0000", "add": "PT1H"}""")]
    [InlineData("$.pauses[0].end", """{"calendar": {"timeZone": "UTC"}, "start": "2026-03-02T08:00:00Z", "pauses": [{"start": "2026-03-02T09:00:00Z", "end": "-0001-01-01T00:00:00Z"}]}""")]
    public async Task Overflowing_or_malformed_time_is_a_400_naming_the_json_path(string field, string body)
    {
        using var client = server.Anonymous();

        using var response = await Post(client, "api/v1/tools/business-time", body);

        await AssertProblem(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task A_number_where_an_enum_belongs_is_a_400_and_changes_nothing()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var ticket = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p2", subject = "Enum" }))).JsonAsync();
        var id = ticket.GetProperty("ticketId").GetString();

        using var response = await Post(admin.Http, $"api/v1/tickets/{id}/status", """{"status": 99}""");
        var after = await (await admin.Http.GetAsync($"api/v1/tickets/{id}")).JsonAsync();

        await AssertProblem(response, HttpStatusCode.BadRequest, "$.status");
        Assert.Equal("new", after.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("$.availabilityPercent", """{"availabilityPercent": "ninety", "targetPercent": 99.9, "monthlyFee": 1000}""")]
    [InlineData("$.monthlyFee", """{"availabilityPercent": 99, "targetPercent": 99.9, "monthlyFee": 1e400}""")]
    [InlineData("$.schedule", """{"availabilityPercent": 99, "targetPercent": 99.9, "monthlyFee": 1000, "schedule": "all"}""")]
    [InlineData("$", "{")]
    [InlineData("$", "")]
    [InlineData("$", "null")]
    public async Task Json_that_does_not_bind_is_a_400_naming_the_path_without_type_names(string field, string body)
    {
        using var client = server.Anonymous();

        using var response = await Post(client, "api/v1/tools/credit", body);

        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, field);
        Assert.DoesNotContain("System.", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("Request", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=2147483648", "limit")]
    public async Task A_query_value_that_does_not_bind_names_the_parameter_not_its_type(string query, string field)
    {
        using var admin = await server.AdminAsync();

        using var response = await admin.Http.GetAsync($"api/v1/monitors/any/results?{query}");

        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, field);
        Assert.DoesNotContain("Nullable", problem, StringComparison.Ordinal);
        Assert.Contains("whole number", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_json_by_its_content_type_is_a_415_problem()
    {
        using var client = server.Anonymous();
        using var content = new StringContent("""{"availabilityPercent": 99, "targetPercent": 99.9, "monthlyFee": 1000}""", Encoding.UTF8, "text/plain");

        using var response = await client.PostAsync(new Uri("api/v1/tools/credit", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Content-Type: application/json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_method_the_path_does_not_take_is_a_405_problem_saying_so()
    {
        using var client = server.Anonymous();

        using var response = await client.DeleteAsync(new Uri("api/v1/tools/credit", UriKind.Relative));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("does not take DELETE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, string path, string body)
        => await client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>Asserts the status, the problem+json type and an error on <paramref name="field"/>; returns the body.</summary>
    private static async Task<string> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"No error on {field}: {body}");
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        return body;
    }
}
