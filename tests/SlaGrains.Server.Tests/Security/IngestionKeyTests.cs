using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Server.Tests.Security;

/// <summary>Ingestion keys are bound to one customer and post check results and heartbeats for its monitors only.</summary>
public sealed class IngestionKeyTests(SlaGrainsServerFixture server) : IClassFixture<SlaGrainsServerFixture>
{
    [Fact]
    public async Task Ingestion_key_without_customer_is_refused()
    {
        using var admin = await server.AdminAsync();

        var response = await admin.Http.PostAsJsonAsync("api/v1/api-keys", new { name = "unbound probe", scope = "ingestion" });
        var problem = await response.JsonAsync();
        var keys = await (await admin.Http.GetAsync("api/v1/api-keys")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem.GetProperty("errors").TryGetProperty("customerId", out _));
        Assert.DoesNotContain("unbound probe", keys, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingestion_key_cannot_post_for_another_customers_monitor()
    {
        using var admin = await server.AdminAsync();
        var (a, b) = (await ServerScenario.CustomerAsync(admin.Http), await ServerScenario.CustomerAsync(admin.Http));
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = $"{a}-web", customerId = a, name = "Web" }));
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = $"{b}-web", customerId = b, name = "Web" }));
        var created = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/api-keys", new { name = "probe of A", scope = "ingestion", customerId = a }))).JsonAsync();
        using var keyOfA = server.WithApiKey(created.GetProperty("key").GetString()!);

        var own = await keyOfA.PostAsJsonAsync($"api/v1/monitors/{a}-web/checks", new { up = false });
        var foreignCheck = await keyOfA.PostAsJsonAsync($"api/v1/monitors/{b}-web/checks", new { up = false });
        var foreignBatch = await keyOfA.PostAsJsonAsync($"api/v1/monitors/{b}-web/checks/batch", new[] { new { up = false } });
        var foreignHeartbeat = await keyOfA.PostAsync($"api/v1/monitors/{b}-web/heartbeat", null);
        var monitorOfB = await (await admin.Http.GetAsync($"api/v1/monitors/{b}-web")).JsonAsync();

        Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);
        Assert.All([foreignCheck, foreignBatch, foreignHeartbeat], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, monitorOfB.GetProperty("lastResultAt").ValueKind);
    }

    [Fact]
    public async Task Unbound_ingestion_key_stored_before_keys_were_bound_posts_for_no_monitor()
    {
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = $"{customer}-db", customerId = customer, name = "DB" }));

        // As an older version stored it: an ingestion key bound to no customer.
        var (record, key) = ApiKeys.Create("legacy probe", ApiKeyScope.Ingestion, null, SystemClock.Instance.GetCurrentInstant());
        Assert.True(await server.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountsGrain>(IAccountsGrain.Key).AddApiKey(record));
        using var legacy = server.WithApiKey(key);

        var check = await legacy.PostAsJsonAsync($"api/v1/monitors/{customer}-db/checks", new { up = false });
        var heartbeat = await legacy.PostAsync($"api/v1/monitors/{customer}-db/heartbeat", null);
        var monitor = await (await admin.Http.GetAsync($"api/v1/monitors/{customer}-db")).JsonAsync();

        Assert.Equal(HttpStatusCode.Forbidden, check.StatusCode);
        Assert.Contains("bound to no customer", (await check.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, heartbeat.StatusCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, monitor.GetProperty("lastResultAt").ValueKind);
    }
}
