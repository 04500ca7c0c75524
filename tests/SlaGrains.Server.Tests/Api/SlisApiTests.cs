using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SlaGrains.Server.Tests.Security;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// Request-based SLIs over real HTTP: an admin sets one up, the customer's ingestion key posts good/total counts, and
/// the SLI shows its window's SLI %, error budget and burn-rate alerts; bounds, idempotency by interval, who may post
/// and who may read.
/// </summary>
public sealed class SlisApiTests(MovableClockServer world) : IClassFixture<MovableClockServer>
{
    private Instant Now => Instant.FromDateTimeOffset(world.Clock.GetUtcNow());

    private static string Time(Instant at) => NodaTime.Text.InstantPattern.ExtendedIso.Format(at);

    private static object Counts(Instant from, Instant to, long good, long total) => new { good, total, from = Time(from), to = Time(to) };

    private static async Task<(string Customer, string Sli, HttpClient Key)> SliWithKeyAsync(HttpClient admin, Func<string, HttpClient> factory, decimal objective = 99.9m)
    {
        var customer = await ServerScenario.CustomerAsync(admin);
        var sli = $"{customer}-checkout";
        await ServerScenario.Ok(admin.PutAsJsonAsync($"api/v1/slis/{sli}", new { customerId = customer, name = "Checkout requests", objectivePercent = objective, window = new { kind = "rolling", days = 28 } }));
        var created = await (await ServerScenario.Ok(admin.PostAsJsonAsync("api/v1/api-keys", new { name = "counter", scope = "ingestion", customerId = customer }))).JsonAsync();
        return (customer, sli, factory(created.GetProperty("key").GetString()!));
    }

    [Fact]
    public async Task An_ingestion_key_posts_counts_and_the_SLI_shows_its_window_budget()
    {
        using var admin = await world.AdminAsync();
        var (_, sli, key) = await SliWithKeyAsync(admin.Http, world.WithApiKey);
        using var _k = key;
        var end = Now - Duration.FromMinutes(1);

        var posted = await key.PostAsJsonAsync($"api/v1/slis/{sli}/counts", Counts(end - Duration.FromMinutes(5), end, 999_600, 1_000_000));
        var read = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/slis/{sli}"))).JsonAsync();

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Contains("\"budget\":1000,\"used\":400,\"remaining\":600,", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1_000_000, read.GetProperty("total").GetInt64());
        Assert.Equal(99.96m, read.GetProperty("sliPercent").GetDecimal());
        Assert.Equal(1_000m, read.GetProperty("budget").GetDecimal());
        Assert.Equal(400, read.GetProperty("used").GetInt64());
        Assert.Equal(600m, read.GetProperty("remaining").GetDecimal());
        Assert.Equal(60m, read.GetProperty("remainingPercent").GetDecimal());
        Assert.Equal("rolling", read.GetProperty("window").GetProperty("kind").GetString());
        Assert.Equal(28, read.GetProperty("window").GetProperty("days").GetInt32());
        Assert.Equal((await posted.JsonAsync()).GetProperty("budget").GetDecimal(), read.GetProperty("budget").GetDecimal());
    }

    [Fact]
    public async Task Posting_the_same_interval_again_changes_nothing_and_other_or_overlapping_counts_conflict()
    {
        using var admin = await world.AdminAsync();
        var (_, sli, key) = await SliWithKeyAsync(admin.Http, world.WithApiKey);
        using var _k = key;
        var end = Now - Duration.FromMinutes(1);
        var counts = Counts(end - Duration.FromMinutes(5), end, 90, 100);
        await ServerScenario.Ok(key.PostAsJsonAsync($"api/v1/slis/{sli}/counts", counts));

        var replay = await key.PostAsJsonAsync($"api/v1/slis/{sli}/counts", counts);
        var other = await key.PostAsJsonAsync($"api/v1/slis/{sli}/counts", Counts(end - Duration.FromMinutes(5), end, 91, 100));
        var overlapping = await key.PostAsJsonAsync($"api/v1/slis/{sli}/counts", Counts(end - Duration.FromMinutes(7), end - Duration.FromMinutes(3), 1, 1));
        var read = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/slis/{sli}"))).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.True((await replay.JsonAsync()).GetProperty("replayed").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, overlapping.StatusCode);
        Assert.Equal(100, read.GetProperty("total").GetInt64());
        Assert.Equal(90, read.GetProperty("good").GetInt64());
    }

    [Fact]
    public async Task Counts_and_settings_out_of_bounds_are_400_naming_the_field_and_change_nothing()
    {
        using var admin = await world.AdminAsync();
        var (customer, sli, key) = await SliWithKeyAsync(admin.Http, world.WithApiKey);
        using var _k = key;
        var end = Now - Duration.FromMinutes(1);
        var cases = new (object Body, string Field)[]
        {
            (Counts(end - Duration.FromMinutes(5), end, 11, 10), "good"),
            (Counts(end - Duration.FromMinutes(5), end, -1, 10), "good"),
            (Counts(end - Duration.FromMinutes(5), end, 1, 1_000_000_000_001), "total"),
            (new { good = 1, total = 1, to = Time(end) }, "from"),
            (Counts(end, end - Duration.FromMinutes(5), 1, 1), "to"),
            (Counts(end - Duration.FromHours(25), end, 1, 1), "to"),
            (Counts(end - Duration.FromSeconds(10), end, 1, 1), "to"),
            (Counts(Now + Duration.FromMinutes(5), Now + Duration.FromMinutes(10), 1, 1), "to"),
            (Counts(Now - Duration.FromDays(30), Now - Duration.FromDays(30) + Duration.FromMinutes(5), 1, 1), "from"),
        };

        foreach (var (body, field) in cases)
        {
            var response = await key.PostAsJsonAsync($"api/v1/slis/{sli}/counts", body);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{field}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _), $"{field}: {await response.Content.ReadAsStringAsync()}");
        }

        var settings = new (object Body, string Field)[]
        {
            (new { customerId = customer, name = "x", objectivePercent = 100, window = new { kind = "rolling", days = 28 } }, "objectivePercent"),
            (new { customerId = customer, name = "x", objectivePercent = 0, window = new { kind = "rolling", days = 28 } }, "objectivePercent"),
            (new { customerId = customer, name = "x", objectivePercent = 99.9, window = new { kind = "rolling", days = 91 } }, "window.days"),
            (new { customerId = customer, name = "x", objectivePercent = 99.9, window = new { kind = "calendar", unit = "week" } }, "window.unit"),
            (new { customerId = customer, name = "x", objectivePercent = 99.9, window = new { kind = "hourly" } }, "window"),
            (new { customerId = customer, name = "", objectivePercent = 99.9, window = new { kind = "rolling", days = 7 } }, "name"),
            (new { customerId = "no way", name = "x", objectivePercent = 99.9, window = new { kind = "rolling", days = 7 } }, "customerId"),
        };
        foreach (var (body, field) in settings)
        {
            var response = await admin.Http.PutAsJsonAsync($"api/v1/slis/{sli}", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _), $"{field}: {await response.Content.ReadAsStringAsync()}");
        }

        var read = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/slis/{sli}"))).JsonAsync();
        Assert.Equal(0, read.GetProperty("total").GetInt64());
        Assert.Equal(99.9m, read.GetProperty("objectivePercent").GetDecimal());
    }

    [Fact]
    public async Task A_customers_user_reads_its_own_SLIs_but_cannot_post_counts_and_other_tenants_see_nothing()
    {
        using var admin = await world.AdminAsync();
        var (customer, sli, key) = await SliWithKeyAsync(admin.Http, world.WithApiKey);
        var (other, otherSli, otherKey) = await SliWithKeyAsync(admin.Http, world.WithApiKey);
        using var _k = key;
        using var _o = otherKey;
        var userName = $"u-{customer}";
        await ServerScenario.UserAsync(admin.Http, userName, "customer", customer);
        using var user = await world.SignInAsync(userName, ServerScenario.Password(userName));
        var end = Now - Duration.FromMinutes(1);

        var userPost = await user.Http.PostAsJsonAsync($"api/v1/slis/{sli}/counts", Counts(end - Duration.FromMinutes(5), end, 1, 1));
        var otherKeyPost = await otherKey.PostAsJsonAsync($"api/v1/slis/{sli}/counts", Counts(end - Duration.FromMinutes(5), end, 1, 1));
        var own = await user.Http.GetAsync($"api/v1/slis/{sli}");
        var ownList = await (await ServerScenario.Ok(user.Http.GetAsync("api/v1/slis"))).JsonAsync();
        var foreign = await user.Http.GetAsync($"api/v1/slis/{otherSli}");
        var foreignList = await user.Http.GetAsync($"api/v1/slis?customerId={other}");
        var userPut = await user.Http.PutAsJsonAsync($"api/v1/slis/{sli}", new { customerId = customer, name = "Mine", objectivePercent = 90, window = new { kind = "rolling", days = 1 } });
        var read = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/slis/{sli}"))).JsonAsync();

        Assert.Equal(HttpStatusCode.Forbidden, userPost.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherKeyPost.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal([sli], ownList.EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreignList.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, userPut.StatusCode);
        Assert.Equal(0, read.GetProperty("total").GetInt64());
        Assert.Equal("Checkout requests", read.GetProperty("name").GetString());
    }

    [Fact]
    public async Task An_hour_of_failing_requests_fires_the_burn_rate_alerts_into_the_budget_alert_inbox()
    {
        // Start just after a 5-minute boundary, so the burn-rate windows (complete buckets) stay put during the test.
        var intoBucket = Now.ToUnixTimeTicks() % Duration.FromMinutes(5).BclCompatibleTicks;
        world.Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(intoBucket) + TimeSpan.FromSeconds(10));
        using var admin = await world.AdminAsync();
        var (customer, sli, key) = await SliWithKeyAsync(admin.Http, world.WithApiKey);
        using var _k = key;
        var end = Instant.FromUnixTimeTicks(Now.ToUnixTimeTicks() - (Now.ToUnixTimeTicks() % Duration.FromMinutes(5).BclCompatibleTicks));

        JsonElement last = default;
        for (var i = 12; i >= 1; i--)
        {
            var from = end - Duration.FromMinutes(5 * i);
            last = await (await ServerScenario.Ok(key.PostAsJsonAsync($"api/v1/slis/{sli}/counts", Counts(from, from + Duration.FromMinutes(5), 900, 1_000)))).JsonAsync();
        }

        // 10 % bad against a 0.1 % allowance: 100× over every window.
        var rates = last.GetProperty("burnRates").EnumerateArray().ToList();
        Assert.Equal(["page-fast", "page-slow", "ticket"], rates.Select(r => r.GetProperty("name").GetString()));
        Assert.All(rates, r => Assert.True(r.GetProperty("firing").GetBoolean()));
        Assert.All(rates, r => Assert.Equal(100m, r.GetProperty("longWindowBurnRate").GetDecimal()));
        Assert.Equal(-9_900m, last.GetProperty("remainingPercent").GetDecimal()); // 1,200 bad of 12 allowed

        var alerts = (await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/budget-alerts?customer={customer}"))).JsonAsync()).EnumerateArray().ToList();
        Assert.Equal(["page-fast", "page-slow", "ticket"], alerts.Select(a => a.GetProperty("name").GetString()).Order());
        Assert.All(alerts, a => Assert.Equal($"sli:{sli}", a.GetProperty("monitorId").GetString()));
        Assert.All(alerts, a => Assert.Equal("Checkout requests", a.GetProperty("componentName").GetString()));

        var fast = alerts.Single(a => a.GetProperty("name").GetString() == "page-fast").GetProperty("alertId").GetString();
        var acknowledged = await (await ServerScenario.Ok(admin.Http.PostAsync($"api/v1/budget-alerts/{fast}/acknowledge", null))).JsonAsync();
        Assert.Equal("admin", acknowledged.GetProperty("acknowledgedBy").GetString());
    }
}
