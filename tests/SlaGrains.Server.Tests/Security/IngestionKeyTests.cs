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
    public async Task Customer_user_cannot_post_check_results()
    {
        // Check results decide the customer's credit: its own people must not be able to write its downtime.
        using var admin = await server.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = $"{customer}-api", customerId = customer, name = "API" }));
        var userName = $"u-{customer}";
        await ServerScenario.UserAsync(admin.Http, userName, "customer", customer);
        using var user = await server.SignInAsync(userName, ServerScenario.Password(userName));
        var created = await (await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/api-keys", new { name = "customer key", scope = "customer", customerId = customer }))).JsonAsync();
        using var customerKey = server.WithApiKey(created.GetProperty("key").GetString()!);

        var answers = new List<HttpResponseMessage>();
        foreach (var caller in new[] { user.Http, customerKey })
        {
            answers.Add(await caller.PostAsJsonAsync($"api/v1/monitors/{customer}-api/checks", new { up = false }));
            answers.Add(await caller.PostAsJsonAsync($"api/v1/monitors/{customer}-api/checks/batch", new[] { new { up = false } }));
            answers.Add(await caller.PostAsync($"api/v1/monitors/{customer}-api/heartbeat", null));
        }

        var monitor = await (await admin.Http.GetAsync($"api/v1/monitors/{customer}-api")).JsonAsync();
        Assert.All(answers, r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.All(answers, r => Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, monitor.GetProperty("lastResultAt").ValueKind);
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
