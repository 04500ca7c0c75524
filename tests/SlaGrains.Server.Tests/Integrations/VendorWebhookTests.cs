using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;

namespace SlaGrains.Server.Tests.Integrations;

/// <summary>
/// Each vendor's documented webhook payload (the samples the adapters' own tests read) posted to the real server as the
/// vendor would: to <c>/integrations/{source}/webhook</c> with no key, proven only by that vendor's signature scheme and
/// the secret configured for the source. The ticket is created under the mapped customer with the vendor's timestamp;
/// a retried delivery changes nothing; a wrong signature is 401 and stores nothing.
/// </summary>
public sealed class VendorWebhookTests(VendorWebhookTests.World world) : IClassFixture<VendorWebhookTests.World>
{
    private const string Secret = "vendor-secret-for-tests";

    public static TheoryData<string, string, string, string> Deliveries => new()
    {
        { "zendesk", "zendesk-ticket-created.json", "8447346622462", "zendesk-5158" },
        { "jira", "jira-issue-created.json", "ACME", "jira-ACME-42" },
        { "connectwise", "connectwise-ticket-added.json", "AcmeCorp", "connectwise-210345" },
        { "halopsa", "halopsa-ticket-logged.json", "12", "halopsa-4711" },
    };

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task A_signed_vendor_delivery_without_a_key_opens_the_ticket_once_under_the_mapped_customer(string source, string sample, string organisation, string ticketId)
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var secret = source == "halopsa" ? $"slagrains:{Secret}" : Secret;
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/integrations/{source}", new { secret, organisations = new Dictionary<string, string> { [organisation] = customer } }));
        var body = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Integrations", "Samples", sample));
        using var sender = world.Anonymous();

        var forged = await sender.SendAsync(Delivery(source, body, "not-the-secret"));
        var afterForged = await admin.Http.GetAsync($"api/v1/tickets/{ticketId}");
        var first = await (await ServerScenario.Ok(sender.SendAsync(Delivery(source, body, Secret)))).JsonAsync();
        var retried = await (await ServerScenario.Ok(sender.SendAsync(Delivery(source, body, Secret)))).JsonAsync();
        var ticket = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/{ticketId}"))).JsonAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterForged.StatusCode);
        Assert.Contains(first.GetProperty("events").EnumerateArray(), e => e.GetProperty("outcome").GetString() == "applied" && e.GetProperty("ticketId").GetString() == ticketId);
        Assert.All(retried.GetProperty("events").EnumerateArray(), e => Assert.Equal("replayed", e.GetProperty("outcome").GetString()));
        Assert.Equal(customer, ticket.GetProperty("customerId").GetString());
        Assert.StartsWith("2026-03-02T09:15:0", ticket.GetProperty("createdAt").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_without_a_secret_or_without_a_signature_scheme_takes_nothing_without_a_key()
    {
        using var admin = await world.AdminAsync();
        using var sender = world.Anonymous();
        var csv = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Integrations", "Samples", "tickets.csv"));
        var generic = Encoding.UTF8.GetBytes("""{"events":[]}""");

        var noSecret = await sender.SendAsync(Delivery("jira", generic, Secret));
        var csvWithoutKey = new HttpRequestMessage(HttpMethod.Post, "api/v1/integrations/csv/webhook") { Content = new ByteArrayContent(csv) };
        csvWithoutKey.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var csvAnswer = await sender.SendAsync(csvWithoutKey);
        var keyRoute = await sender.PostAsync("api/v1/integrations/generic/events", new StringContent("""{"events":[]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, noSecret.StatusCode);
        Assert.Contains("no secret", await noSecret.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, csvAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, keyRoute.StatusCode);
    }

    [Fact]
    public async Task A_csv_history_posted_with_an_integration_key_imports_the_ticket_at_its_own_instants()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var key = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/api-keys", new { name = "csv import", scope = "integration", customers = new[] { customer } }))).JsonAsync();
        using var integration = world.WithApiKey(key.GetProperty("key").GetString()!);
        var csv = (await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Integrations", "Samples", "tickets.csv")))
            .Replace(",acme,", $",{customer},", StringComparison.Ordinal).Replace("INC-1,", $"INC-{customer},", StringComparison.Ordinal);

        var imported = await (await ServerScenario.Ok(integration.PostAsync("api/v1/integrations/csv/events", new StringContent(csv, Encoding.UTF8, "text/csv")))).JsonAsync();
        var ticket = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/csv-INC-{customer}"))).JsonAsync();
        var otherCustomer = await ServerScenario.CustomerAsync(admin.Http);
        var outside = await integration.PostAsync("api/v1/integrations/csv/events", new StringContent(csv.Replace(customer, otherCustomer, StringComparison.Ordinal), Encoding.UTF8, "text/csv"));

        Assert.Equal(5, imported.GetProperty("applied").GetInt32());
        Assert.Equal("resolved", ticket.GetProperty("status").GetString());
        Assert.Equal("2026-03-02T09:15:04Z", ticket.GetProperty("createdAt").GetString());
        Assert.Equal("Network", ticket.GetProperty("team").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
    }

    /// <summary>A delivery signed as <paramref name="source"/> signs it, with <paramref name="secret"/>.</summary>
    private static HttpRequestMessage Delivery(string source, byte[] body, string secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/integrations/{source}/webhook") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var key = Encoding.UTF8.GetBytes(secret);
        switch (source)
        {
            case "zendesk":
                var timestamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                request.Headers.Add("X-Zendesk-Webhook-Signature", Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(timestamp).Concat(body).ToArray())));
                request.Headers.Add("X-Zendesk-Webhook-Signature-Timestamp", timestamp);
                break;
            case "jira":
                request.Headers.Add("X-Hub-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, body)));
                break;
            case "connectwise":
                request.Headers.Add("x-content-signature", Convert.ToBase64String(HMACSHA256.HashData(SHA256.HashData(key), body)));
                break;
            case "halopsa":
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"slagrains:{secret}")));
                break;
        }

        return request;
    }

    /// <summary>A server of its own: a source's mapping is server-wide.</summary>
    public sealed class World : SlaGrainsServerFixture;
}
