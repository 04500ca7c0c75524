using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SlaGrains.Server.Tests.Security;

/// <summary>
/// Scoped API keys over real HTTP: what each scope may and may not do (403 naming the scope needed), keys restricted
/// to listed customers, expiry and revocation (401), rotation with an overlap on the server's movable clock, the
/// last-used time, and the scopes in the OpenAPI document.
/// </summary>
public sealed class ScopedApiKeyTests(MovableClockServer server) : IClassFixture<MovableClockServer>
{
    [Fact]
    public async Task Read_key_reads_staff_data_and_changes_nothing()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        using var read = await KeyAsync(admin.Http, new { name = "dashboards", scope = "read" });

        var customers = await read.GetAsync("api/v1/customers");
        var one = await read.GetAsync($"api/v1/customers/{customer}");
        var tickets = await read.GetAsync($"api/v1/tickets?customer={customer}");
        var create = await read.PostAsJsonAsync("api/v1/customers", new { id = $"{customer}-r", name = "By a read key" });
        var users = await read.GetAsync("api/v1/users");

        Assert.Equal(HttpStatusCode.OK, customers.StatusCode);
        Assert.Contains(customer, await customers.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(HttpStatusCode.OK, tickets.StatusCode);
        await AssertRefusedAsync(create, "write or admin");
        await AssertRefusedAsync(users, "admin");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync($"api/v1/customers/{customer}-r")).StatusCode);
    }

    [Fact]
    public async Task Write_key_changes_what_managers_change_but_not_users_or_keys()
    {
        using var admin = await server.AdminAsync();
        using var write = await KeyAsync(admin.Http, new { name = "provisioning", scope = "write" });
        var id = $"w-{Guid.NewGuid():N}"[..14];

        var created = await write.PostAsJsonAsync("api/v1/customers", new { id, name = "By a write key" });
        var contract = await write.PutAsJsonAsync($"api/v1/customers/{id}/contract", new { slaTargetPercent = 99.5, monthlyFee = 500, currency = "EUR" });
        var users = await write.GetAsync("api/v1/users");
        var keys = await write.PostAsJsonAsync("api/v1/api-keys", new { name = "escalate", scope = "admin" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, contract.StatusCode);
        await AssertRefusedAsync(users, "admin");
        await AssertRefusedAsync(keys, "admin");
    }

    [Fact]
    public async Task Admin_key_manages_keys_and_users()
    {
        using var admin = await server.AdminAsync();
        using var key = await KeyAsync(admin.Http, new { name = "automation", scope = "admin" });

        var keys = await key.GetAsync("api/v1/api-keys");
        var users = await key.GetAsync("api/v1/users");

        Assert.Equal(HttpStatusCode.OK, keys.StatusCode);
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
    }

    [Fact]
    public async Task Integration_and_metrics_keys_reach_no_staff_route()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        using var integration = await KeyAsync(admin.Http, new { name = "helpdesk", scope = "integration" });
        using var metrics = await KeyAsync(admin.Http, new { name = "prometheus", scope = "metrics" });

        foreach (var key in new[] { integration, metrics })
        {
            await AssertRefusedAsync(await key.GetAsync("api/v1/customers"), "customer or ingestion or read or write or admin");
            await AssertRefusedAsync(await key.GetAsync($"api/v1/customers/{customer}"), "read");
            await AssertRefusedAsync(await key.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p1", subject = "x" }), "write");
        }
    }

    [Fact]
    public async Task Restricted_key_sees_and_changes_only_its_customers()
    {
        using var admin = await server.AdminAsync();
        var (a, b) = (await ServerScenario.CustomerAsync(admin.Http), await ServerScenario.CustomerAsync(admin.Http));
        var ticketOfA = await TicketAsync(admin.Http, a);
        var ticketOfB = await TicketAsync(admin.Http, b);
        using var read = await KeyAsync(admin.Http, new { name = "A's dashboards", scope = "read", customers = new[] { a } });
        using var write = await KeyAsync(admin.Http, new { name = "A's helpdesk", scope = "write", customers = new[] { a } });

        var customers = await (await ServerScenario.Ok(read.GetAsync("api/v1/customers"))).JsonAsync();
        var otherCustomer = await read.GetAsync($"api/v1/customers/{b}");
        var own = await read.GetAsync($"api/v1/tickets/{ticketOfA}");
        var other = await read.GetAsync($"api/v1/tickets/{ticketOfB}");
        var listed = await (await ServerScenario.Ok(read.GetAsync("api/v1/tickets?pageSize=500"))).JsonAsync();
        var askedForB = await (await ServerScenario.Ok(read.GetAsync($"api/v1/tickets?customer={b}"))).JsonAsync();
        var openForB = await write.PostAsJsonAsync("api/v1/tickets", new { customerId = b, priority = "p1", subject = "not mine" });
        var resolveB = await write.PostAsJsonAsync($"api/v1/tickets/{ticketOfB}/resolve", new { });
        var contractOfB = await write.PutAsJsonAsync($"api/v1/customers/{b}/contract", new { slaTargetPercent = 90, monthlyFee = 1, currency = "EUR" });
        var newCustomer = await write.PostAsJsonAsync("api/v1/customers", new { id = $"{a}-n", name = "New" });
        var openForA = await write.PostAsJsonAsync("api/v1/tickets", new { customerId = a, priority = "p2", subject = "mine" });
        var elsewhere = await read.GetAsync("api/v1/budget-alerts");

        Assert.Equal([a], customers.EnumerateArray().Select(c => c.GetProperty("customerId").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, otherCustomer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        var customersListed = listed.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("customerId").GetString()).Distinct().ToList();
        Assert.Equal([a], customersListed);
        Assert.Equal(0, askedForB.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, openForB.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, resolveB.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, contractOfB.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, newCustomer.StatusCode);
        Assert.Equal(HttpStatusCode.Created, openForA.StatusCode);
        await AssertRefusedAsync(elsewhere, "restricted to listed customers");
        var ticketB = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/tickets/{ticketOfB}"))).JsonAsync();
        Assert.NotEqual("resolved", ticketB.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Key_restrictions_and_expiry_are_checked_when_the_key_is_made()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);

        var unknown = await admin.Http.PostAsJsonAsync("api/v1/api-keys", new { name = "x", scope = "read", customers = new[] { "no-such-customer" } });
        var adminRestricted = await admin.Http.PostAsJsonAsync("api/v1/api-keys", new { name = "x", scope = "admin", customers = new[] { customer } });
        var empty = await admin.Http.PostAsJsonAsync("api/v1/api-keys", new { name = "x", scope = "write", customers = Array.Empty<string>() });
        var tooMany = await admin.Http.PostAsJsonAsync("api/v1/api-keys", new { name = "x", scope = "write", customers = Enumerable.Range(0, 101).Select(i => $"c{i}") });
        var boundRead = await admin.Http.PostAsJsonAsync("api/v1/api-keys", new { name = "x", scope = "read", customerId = customer });
        var past = await admin.Http.PostAsJsonAsync("api/v1/api-keys", new { name = "x", scope = "read", expiresAt = Iso(server.Clock.GetUtcNow().AddMinutes(-1)) });
        var garbled = await admin.Http.PostAsJsonAsync("api/v1/api-keys", new { name = "x", scope = "read", expiresAt = "next tuesday" });
        var keys = await (await admin.Http.GetAsync("api/v1/api-keys")).Content.ReadAsStringAsync();

        await AssertInvalidAsync(unknown, "customers");
        await AssertInvalidAsync(adminRestricted, "customers");
        await AssertInvalidAsync(empty, "customers");
        await AssertInvalidAsync(tooMany, "customers");
        await AssertInvalidAsync(boundRead, "customerId");
        await AssertInvalidAsync(past, "expiresAt");
        await AssertInvalidAsync(garbled, "expiresAt");
        Assert.DoesNotContain("\"name\":\"x\"", keys, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_and_revoked_keys_are_refused_with_401()
    {
        using var admin = await server.AdminAsync();
        var created = await CreateAsync(admin.Http, new { name = "short-lived", scope = "read", expiresAt = Iso(server.Clock.GetUtcNow().AddHours(1)) });
        using var expiring = server.WithApiKey(created.GetProperty("key").GetString()!);
        using var revoked = await KeyAsync(admin.Http, new { name = "leaked", scope = "read" }, async id => await ServerScenario.Ok(admin.Http.DeleteAsync($"api/v1/api-keys/{id}")));

        var before = await expiring.GetAsync("api/v1/customers");
        server.Clock.Advance(TimeSpan.FromHours(2));
        var after = await expiring.GetAsync("api/v1/customers");
        var afterRevocation = await revoked.GetAsync("api/v1/customers");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevocation.StatusCode);
    }

    [Fact]
    public async Task Rotation_gives_a_new_key_and_the_old_one_works_until_the_overlap_ends()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var created = await CreateAsync(admin.Http, new { name = "psa sync", scope = "write", customers = new[] { customer } });
        var oldId = created.GetProperty("apiKey").GetProperty("id").GetString();
        using var old = server.WithApiKey(created.GetProperty("key").GetString()!);

        var tooLong = await admin.Http.PostAsJsonAsync($"api/v1/api-keys/{oldId}/rotate", new { overlapHours = 721 });
        var rotated = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/api-keys/{oldId}/rotate", new { overlapHours = 2 }))).JsonAsync();
        using var replacement = server.WithApiKey(rotated.GetProperty("key").GetString()!);
        var oldDuringOverlap = await old.GetAsync($"api/v1/customers/{customer}");
        var newDuringOverlap = await replacement.GetAsync($"api/v1/customers/{customer}");
        server.Clock.Advance(TimeSpan.FromHours(3));
        var oldAfterOverlap = await old.GetAsync($"api/v1/customers/{customer}");
        var newAfterOverlap = await replacement.GetAsync($"api/v1/customers/{customer}");
        var listed = await (await ServerScenario.Ok(admin.Http.GetAsync("api/v1/api-keys"))).JsonAsync();
        var oldListed = listed.EnumerateArray().Single(k => k.GetProperty("id").GetString() == oldId);

        await AssertInvalidAsync(tooLong, "overlapHours");
        Assert.Equal("write", rotated.GetProperty("apiKey").GetProperty("scope").GetString());
        Assert.Equal([customer], rotated.GetProperty("apiKey").GetProperty("customers").EnumerateArray().Select(c => c.GetString()));
        Assert.NotEqual(oldId, rotated.GetProperty("apiKey").GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, oldDuringOverlap.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newDuringOverlap.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, oldAfterOverlap.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newAfterOverlap.StatusCode);
        Assert.Equal(rotated.GetProperty("apiKey").GetProperty("id").GetString(), oldListed.GetProperty("replacedBy").GetString());
        Assert.NotEqual(JsonValueKind.Null, oldListed.GetProperty("expiresAt").ValueKind);
    }

    [Fact]
    public async Task Last_used_time_appears_once_the_key_is_used()
    {
        using var admin = await server.AdminAsync();
        var created = await CreateAsync(admin.Http, new { name = "reporting", scope = "read" });
        var id = created.GetProperty("apiKey").GetProperty("id").GetString();
        using var key = server.WithApiKey(created.GetProperty("key").GetString()!);

        var unused = created.GetProperty("apiKey").GetProperty("lastUsedAt").ValueKind;
        await ServerScenario.Ok(key.GetAsync("api/v1/customers"));

        // The use is noted one-way (no storage write on the request's path): give it a moment to arrive.
        var used = JsonValueKind.Null;
        for (var attempt = 0; attempt < 50 && used == JsonValueKind.Null; attempt++)
        {
            var listed = await (await ServerScenario.Ok(admin.Http.GetAsync("api/v1/api-keys"))).JsonAsync();
            used = listed.EnumerateArray().Single(k => k.GetProperty("id").GetString() == id).GetProperty("lastUsedAt").ValueKind;
            await Task.Delay(100);
        }

        Assert.Equal(JsonValueKind.Null, unused);
        Assert.Equal(JsonValueKind.String, used);
    }

    [Fact]
    public async Task Openapi_document_lists_the_key_scopes_of_each_operation()
    {
        using var anonymous = server.Anonymous();

        var document = await (await ServerScenario.Ok(anonymous.GetAsync("openapi/v1.json"))).JsonAsync();
        var paths = document.GetProperty("paths");
        string[] Scopes(string path, string method)
            => [.. paths.GetProperty(path).GetProperty(method).GetProperty("x-api-key-scopes").EnumerateArray().Select(s => s.GetString()!)];

        Assert.Equal(["admin"], Scopes("/api/v1/api-keys", "get"));
        Assert.Contains("read", Scopes("/api/v1/tickets", "get"));
        Assert.DoesNotContain("read", Scopes("/api/v1/tickets", "post"));
        Assert.DoesNotContain("integration", Scopes("/api/v1/tickets", "post"));
        Assert.Equal("apiKey", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").GetProperty("type").GetString());
    }

    private async Task<HttpClient> KeyAsync(HttpClient admin, object request, Func<string, Task>? then = null)
    {
        var created = await CreateAsync(admin, request);
        if (then is not null)
        {
            await then(created.GetProperty("apiKey").GetProperty("id").GetString()!);
        }

        return server.WithApiKey(created.GetProperty("key").GetString()!);
    }

    private static async Task<JsonElement> CreateAsync(HttpClient admin, object request)
        => await (await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/api-keys", request))).JsonAsync();

    private static async Task<string> TicketAsync(HttpClient admin, string customer)
        => (await (await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/tickets", new { customerId = customer, priority = "p2", subject = "Printer" }))).JsonAsync()).GetProperty("ticketId").GetString()!;

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string detailPart)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detailPart, (await response.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task AssertInvalidAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {await response.Content.ReadAsStringAsync()}");
    }
}
