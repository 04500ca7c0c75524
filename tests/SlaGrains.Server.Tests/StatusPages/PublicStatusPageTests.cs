using System.Net;
using System.Net.Http.Json;
using System.ServiceModel.Syndication;
using System.Xml;
using System.Xml.Linq;
using Ical.Net.CalendarComponents;

namespace SlaGrains.Server.Tests.StatusPages;

/// <summary>
/// A customer's public status page, feeds and badges through real HTTP, read by people who are not signed in (and by
/// some who are): what they show, what they never show, their formats and their caching.
/// </summary>
public sealed class PublicStatusPageTests(PublicPagesWorld world) : IClassFixture<PublicPagesWorld>
{
    private string Base => $"status-pages/{world.Slug}";

    [Fact]
    public async Task An_anonymous_visitor_gets_the_page_as_html_with_the_name_components_bars_incident_and_maintenance()
    {
        using var anonymous = world.Anonymous();

        using var response = await anonymous.GetAsync(new Uri(Base, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"<h1 id=\"page-title\">{PublicPagesWorld.Name}</h1>", html, StringComparison.Ordinal);
        Assert.Contains("data-status=", html, StringComparison.Ordinal);
        Assert.Equal(2, Count(html, "class=\"pub-component\""));
        Assert.Equal(2 * 90, Count(html, "data-day=\""));
        Assert.Contains("API outage", html, StringComparison.Ordinal);
        Assert.Contains(PublicPagesWorld.MaintenanceText, html, StringComparison.Ordinal);

        // Static rendering: no Blazor script, so no circuit is ever opened for a visitor.
        Assert.DoesNotContain("blazor.web.js", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.Equal("public, max-age=30", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_manual_incident_and_its_updates_reach_the_public_page_and_the_feed_without_who_posted_them()
    {
        using var admin = await world.AdminAsync();
        var customer = await PublicPagesWorld.CustomerAsync(admin.Http, "Contoso Pharmacy");
        var monitor = $"m-{customer}";
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync("api/v1/monitors", new { id = monitor, customerId = customer, name = "Prescriptions", critical = false }));
        await ServerScenario.Ok(admin.Http.PostAsJsonAsync($"api/v1/monitors/{monitor}/checks", new { up = true }));
        var technician = $"tech-{Guid.NewGuid():N}"[..12];
        await ServerScenario.UserAsync(admin.Http, technician, "technician");
        using var tech = await world.SignInAsync(technician, ServerScenario.Password(technician));
        var opened = await (await ServerScenario.Ok(tech.Http.PostAsJsonAsync($"api/v1/customers/{customer}/incidents", new
        {
            title = "Slow prescription refills",
            components = new[] { monitor },
            impact = "partialOutage",
            message = "Refills take minutes instead of seconds.",
        }))).JsonAsync();
        await ServerScenario.Ok(tech.Http.PostAsJsonAsync($"api/v1/incidents/{opened.GetProperty("id").GetString()}/updates", new { status = "identified", message = "A slow index on the refill queue." }));
        var slug = $"contoso-{Guid.NewGuid():N}"[..20];
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/status-page", new { slug, enabled = true, showAvailability = false }));
        using var anonymous = world.Anonymous();

        var html = await anonymous.GetStringAsync(new Uri($"status-pages/{slug}", UriKind.Relative));
        var feed = Load(await anonymous.GetStreamAsync(new Uri($"status-pages/{slug}/history.atom", UriKind.Relative)), new Atom10FeedFormatter());

        Assert.Contains("Slow prescription refills", html, StringComparison.Ordinal);
        Assert.Contains("Partial outage", html, StringComparison.Ordinal);
        Assert.Contains("A slow index on the refill queue.", html, StringComparison.Ordinal);
        Assert.Contains("Refills take minutes instead of seconds.", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf("A slow index", StringComparison.Ordinal) < html.IndexOf("Refills take minutes", StringComparison.Ordinal), "updates are listed newest first");
        Assert.DoesNotContain(technician, html, StringComparison.Ordinal);
        var entry = Assert.Single(feed.Items, i => i.Categories.Any(c => c.Name == "incident"));
        Assert.Equal("Incident: Slow prescription refills", entry.Title.Text);
        Assert.Contains("identified: A slow index on the refill queue.", ((TextSyndicationContent)entry.Summary).Text, StringComparison.Ordinal);
        Assert.DoesNotContain(technician, ((TextSyndicationContent)entry.Summary).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_private_reaches_the_page_its_feeds_or_its_badges()
    {
        using var anonymous = world.Anonymous();
        string[] paths = [Base, $"{Base}/history.atom", $"{Base}/history.rss", $"{Base}/maintenance.ics", $"{Base}/badge/status.svg", $"{Base}/badge/uptime-30d.svg", $"{Base}/badge/uptime-90d.svg"];

        foreach (var path in paths)
        {
            using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");

            // No id of the customer, its monitors or incidents (they are replaced by opaque keys), and none of the private figures or texts.
            foreach (var secret in PublicPagesWorld.PrivateStrings.Append(world.Customer).Append(world.Monitor))
            {
                Assert.False(body.Contains(secret, StringComparison.Ordinal), $"{path} shows '{secret}'.");
            }
        }
    }

    [Fact]
    public async Task This_months_availability_shows_only_when_the_customer_allows_it_or_to_its_own_users_and_staff()
    {
        using var admin = await world.AdminAsync();
        var own = $"own-{Guid.NewGuid():N}"[..12];
        var other = $"oth-{Guid.NewGuid():N}"[..12];
        var otherCustomer = await PublicPagesWorld.CustomerAsync(admin.Http, "Someone Else");
        await ServerScenario.UserAsync(admin.Http, own, "customer", world.Customer);
        await ServerScenario.UserAsync(admin.Http, other, "customer", otherCustomer);
        using var ownUser = await world.SignInAsync(own, ServerScenario.Password(own));
        using var otherUser = await world.SignInAsync(other, ServerScenario.Password(other));
        using var anonymous = world.Anonymous();

        var forAnyone = await anonymous.GetStringAsync(new Uri(Base, UriKind.Relative));
        var forOwn = await ownUser.Http.GetStringAsync(new Uri(Base, UriKind.Relative));
        var forStaff = await admin.Http.GetStringAsync(new Uri(Base, UriKind.Relative));
        var forOther = await otherUser.Http.GetStringAsync(new Uri(Base, UriKind.Relative));

        // showAvailability is off: visitors and other customers' users see neither the month nor the way to the full page.
        foreach (var page in new[] { forAnyone, forOther })
        {
            Assert.DoesNotContain("id=\"availability-month\"", page, StringComparison.Ordinal);
            Assert.DoesNotContain("id=\"full-page-link\"", page, StringComparison.Ordinal);
            Assert.DoesNotContain($"/status/{world.Customer}", page, StringComparison.Ordinal);
        }

        // The customer's own users and staff see the month against the commitment and the link to the full SLA page.
        foreach (var page in new[] { forOwn, forStaff })
        {
            Assert.Contains("id=\"availability-month\"", page, StringComparison.Ordinal);
            Assert.Contains("against a commitment of 99.9 %", page, StringComparison.Ordinal);
            Assert.Contains($"href=\"/status/{world.Customer}\"", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_atom_feed_lists_incidents_and_maintenance_newest_first_with_absolute_links_and_stable_ids()
    {
        using var anonymous = world.Anonymous();

        using var response = await anonymous.GetAsync(new Uri($"{Base}/history.atom", UriKind.Relative));
        var feed = Load(await response.Content.ReadAsStreamAsync(), new Atom10FeedFormatter());
        var again = Load(await anonymous.GetStreamAsync(new Uri($"{Base}/history.atom", UriKind.Relative)), new Atom10FeedFormatter());

        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{PublicPagesWorld.Name} status", feed.Title.Text);
        var items = feed.Items.ToList();
        Assert.Contains(items, i => i.Title.Text == "Resolved: API outage" && i.Categories.Any(c => c.Name == "incident"));
        Assert.Contains(items, i => i.Title.Text.StartsWith("Maintenance: API", StringComparison.Ordinal) && ((TextSyndicationContent)i.Summary).Text.Contains(PublicPagesWorld.MaintenanceText, StringComparison.Ordinal));
        Assert.True(items.Count <= 50);
        Assert.Equal(items.OrderByDescending(i => i.LastUpdatedTime).Select(i => i.Id), items.Select(i => i.Id));
        var page = new Uri(world.BaseAddress, Base).AbsoluteUri;
        Assert.All(items, i => Assert.StartsWith(page + "#", i.Links.Single().Uri.AbsoluteUri, StringComparison.Ordinal));
        Assert.Contains(feed.Links, l => l.RelationshipType == "self" && l.Uri.AbsoluteUri == new Uri(world.BaseAddress, $"{Base}/history.atom").AbsoluteUri);
        Assert.Equal(items.Select(i => i.Id), again.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task The_rss_feed_has_the_same_entries_as_the_atom_feed()
    {
        using var anonymous = world.Anonymous();

        using var response = await anonymous.GetAsync(new Uri($"{Base}/history.rss", UriKind.Relative));
        var rss = Load(await response.Content.ReadAsStreamAsync(), new Rss20FeedFormatter());
        var atom = Load(await anonymous.GetStreamAsync(new Uri($"{Base}/history.atom", UriKind.Relative)), new Atom10FeedFormatter());

        Assert.Equal("application/rss+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(atom.Items.Select(i => (i.Id, i.Title.Text)), rss.Items.Select(i => (i.Id, i.Title.Text)));
        Assert.Equal(new Uri(world.BaseAddress, Base).AbsoluteUri, rss.Links.First(l => l.RelationshipType == "alternate").Uri.AbsoluteUri);
    }

    [Fact]
    public async Task The_maintenance_calendar_has_one_event_per_window_in_utc_with_a_stable_uid()
    {
        using var anonymous = world.Anonymous();

        using var response = await anonymous.GetAsync(new Uri($"{Base}/maintenance.ics", UriKind.Relative));
        var calendar = Ical.Net.Calendar.Load(await response.Content.ReadAsStringAsync())!;
        var again = Ical.Net.Calendar.Load(await anonymous.GetStringAsync(new Uri($"{Base}/maintenance.ics", UriKind.Relative)))!;

        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        CalendarEvent window = Assert.Single(calendar.Events);
        Assert.Equal(world.MaintenanceStart.ToDateTimeUtc(), window.DtStart!.AsUtc);
        Assert.Equal((world.MaintenanceStart + Duration.FromHours(2)).ToDateTimeUtc(), window.DtEnd!.AsUtc);
        Assert.Equal("Maintenance: API", window.Summary);
        Assert.Equal(PublicPagesWorld.MaintenanceText, window.Description);
        Assert.EndsWith("@slagrains", window.Uid, StringComparison.Ordinal);
        Assert.Equal(window.Uid, Assert.Single(again.Events).Uid);
    }

    [Fact]
    public async Task A_badge_is_an_accessible_svg_with_its_label_and_value()
    {
        using var anonymous = world.Anonymous();

        using var status = await anonymous.GetAsync(new Uri($"{Base}/badge/status.svg", UriKind.Relative));
        var svg = XDocument.Parse(await status.Content.ReadAsStringAsync()).Root!;
        var uptime = XDocument.Parse(await anonymous.GetStringAsync(new Uri($"{Base}/badge/uptime-30d.svg", UriKind.Relative))).Root!;

        Assert.Equal("image/svg+xml", status.Content.Headers.ContentType?.MediaType);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal("img", (string?)svg.Attribute("role"));
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToArray();
        Assert.Equal("status", texts[0]);
        Assert.Contains(texts[1], new[] { "operational", "degraded", "outage", "maintenance", "unknown" });
        Assert.Equal($"status: {texts[1]}", (string?)svg.Attribute("aria-label"));
        Assert.Equal($"status: {texts[1]}", svg.Element(ns + "title")!.Value);
        var uptimeTexts = uptime.Descendants(ns + "text").Select(t => t.Value).ToArray();
        Assert.Equal("uptime 30d", uptimeTexts[0]);
        Assert.Matches(@"^(\d{1,3}\.\d{2}%|no data)$", uptimeTexts[1]);
    }

    [Fact]
    public async Task Feeds_and_badges_carry_cache_headers_and_answer_304_to_a_matching_etag()
    {
        using var anonymous = world.Anonymous();
        foreach (var path in new[] { $"{Base}/badge/status.svg", $"{Base}/history.atom", $"{Base}/maintenance.ics" })
        {
            using var first = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
            var etag = first.Headers.ETag!;
            Assert.Equal(TimeSpan.FromSeconds(60), first.Headers.CacheControl?.MaxAge);
            Assert.True(first.Headers.CacheControl?.Public, path);

            using var conditional = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            conditional.Headers.IfNoneMatch.Add(etag);
            using var second = await anonymous.SendAsync(conditional);

            Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
            Assert.Empty(await second.Content.ReadAsByteArrayAsync());
            Assert.Equal(etag, second.Headers.ETag);

            using var stale = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            stale.Headers.IfNoneMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"something-else\""));
            using var third = await anonymous.SendAsync(stale);
            Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        }
    }

    private static SyndicationFeed Load(Stream stream, SyndicationFeedFormatter formatter)
    {
        using var reader = XmlReader.Create(stream);
        formatter.ReadFrom(reader);
        return formatter.Feed;
    }

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
