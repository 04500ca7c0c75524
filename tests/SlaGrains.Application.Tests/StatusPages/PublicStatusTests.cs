using System.Collections.Immutable;
using SlaGrains.Application.Dashboard;
using SlaGrains.Application.StatusPages;

namespace SlaGrains.Application.Tests.StatusPages;

/// <summary>The public page's own arithmetic and words: slugs, uptime over a window, the feeds' history, opaque keys.</summary>
public sealed class PublicStatusTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 12, 6, 12, 0);

    [Theory]
    [InlineData("acme")]
    [InlineData("acme-corp")]
    [InlineData("a1b")]
    [InlineData("0-9")]
    public void A_slug_is_3_to_64_lower_case_letters_digits_or_hyphens(string slug) => Assert.True(StatusPageSlug.IsSlug(slug));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("Acme")]
    [InlineData("-acme")]
    [InlineData("acme-")]
    [InlineData("acme corp")]
    [InlineData("acme_corp")]
    [InlineData("acme.corp")]
    [InlineData("ácme")]
    [InlineData("history.atom")]
    public void Anything_else_is_not_a_slug(string? slug) => Assert.False(StatusPageSlug.IsSlug(slug));

    [Fact]
    public void A_slug_is_at_most_64_characters()
    {
        Assert.True(StatusPageSlug.IsSlug(new string('a', 64)));
        Assert.False(StatusPageSlug.IsSlug(new string('a', 65)));
    }

    [Fact]
    public void Uptime_counts_measured_time_of_the_window_only_and_is_rounded_down()
    {
        // 90 days: 89 fully up; today (last) 1,439 minutes up and 1 down. Days without data count neither way.
        var days = Enumerable.Range(0, 90).Select(i => i == 89
                ? Day(i, up: 1_439, down: 1)
                : i < 10 ? NoData(i) : Day(i, up: 1_440, down: 0))
            .ToImmutableArray();
        var page = Page([new PublicComponent("component-1", "API", "up", days)]);

        // Last day alone: 1439 / 1440 = 99.930555… → 99.9305.
        Assert.Equal(99.9305m, page.UptimePercent(1));

        // 30 days: 43,199 of 43,200 minutes = 99.997685… → 99.9976.
        Assert.Equal(99.9976m, page.UptimePercent(30));

        // 90 days: the first 10 had no data, so 80 days measured: 115,199 / 115,200 → 99.9991.
        Assert.Equal(99.9991m, page.UptimePercent(90));
    }

    [Fact]
    public void Uptime_without_any_measured_time_is_none_not_100_percent()
    {
        var page = Page([new PublicComponent("component-1", "API", "unknown", [.. Enumerable.Range(0, 90).Select(NoData)])]);

        Assert.Null(page.UptimePercent(30));
        Assert.Null(Page([]).UptimePercent(90));
    }

    [Fact]
    public void The_history_lists_incidents_and_maintenance_newest_first_by_their_last_change()
    {
        var resolved = new PublicIncident("incident-a", "API", Now - Duration.FromDays(3), Now - Duration.FromDays(3) + Duration.FromMinutes(45), 45);
        var ongoing = new PublicIncident("incident-b", "Website", Now - Duration.FromHours(1), null, 60);
        var window = new PublicMaintenance("maintenance-c", "API", Now + Duration.FromDays(2), Now + Duration.FromDays(2) + Duration.FromHours(2), Now - Duration.FromDays(1), "Database upgrade");
        var page = Page([]) with { Incidents = [ongoing, resolved], Maintenance = [window] };

        var history = page.History();

        Assert.Equal(["incident-b", "maintenance-c", "incident-a"], history.Select(e => e.Key).ToArray());
        Assert.Equal("Outage: Website", history[0].Title);
        Assert.Equal("Resolved: API outage", history[2].Title);
        Assert.Contains("45 min", history[2].Summary, StringComparison.Ordinal);
        Assert.Contains("Database upgrade", history[1].Summary, StringComparison.Ordinal);
        Assert.Equal("maintenance", history[1].Kind);
    }

    [Fact]
    public void The_history_holds_at_most_the_feed_limit_keeping_the_newest()
    {
        var incidents = Enumerable.Range(0, 120)
            .Select(i => new PublicIncident($"incident-{i:000}", "API", Now - Duration.FromHours(i + 1), Now - Duration.FromHours(i + 1) + Duration.FromMinutes(5), 5))
            .ToImmutableArray();

        var history = (Page([]) with { Incidents = incidents }).History();

        Assert.Equal(PublicStatus.FeedLimit, history.Length);
        Assert.Equal("incident-000", history[0].Key);
        Assert.Equal($"incident-{PublicStatus.FeedLimit - 1:000}", history[^1].Key);
    }

    [Fact]
    public void A_public_key_is_stable_per_customer_and_id_and_does_not_contain_the_id()
    {
        var key = PublicStatusPages.KeyOf("acme", "incident", "m-acme-api-7");

        Assert.Equal(key, PublicStatusPages.KeyOf("acme", "incident", "m-acme-api-7"));
        Assert.NotEqual(key, PublicStatusPages.KeyOf("globex", "incident", "m-acme-api-7"));
        Assert.NotEqual(key, PublicStatusPages.KeyOf("acme", "maintenance", "m-acme-api-7"));
        Assert.Matches("^incident-[0-9a-f]{16}$", key);
        Assert.DoesNotContain("acme", key, StringComparison.Ordinal);
    }

    private static PublicStatus Page(ImmutableArray<PublicComponent> components)
        => new("acme", "acme", "Acme", "operational", "All systems operational", components, [], [], null, false, Now);

    private static DashboardDay Day(int offset, double up, double down)
        => new(new LocalDate(2026, 9, 8).PlusDays(offset), down > 0 ? "outage" : "operational", DashboardDay.Availability(Duration.FromMinutes(up), Duration.FromMinutes(down)), up, down, 1_440 - up - down);

    private static DashboardDay NoData(int offset) => new(new LocalDate(2026, 9, 8).PlusDays(offset), "no_data", null, 0, 0, 1_440);
}
