using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SlaGrains.Application.StatusPages;
using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.Subscribers;
using SlaGrains.Server.Tests.Channels;
using SlaGrains.Testing;

namespace SlaGrains.Server.Tests.StatusPages;

/// <summary>
/// Email subscribers of a public status page through real HTTP and a real SMTP relay (aiosmtpd's Maildir read back):
/// subscribe from the page's form, confirm by the mail's signed link, receive incident updates with RFC 8058 one-click
/// unsubscribe headers, leave, and what is refused on the way (forged, expired and wrong-purpose tokens, unknown pages,
/// bad input, cross-site posts) or never shown (addresses, except to staff).
/// </summary>
public sealed partial class StatusSubscriberTests(SubscriberWorld world) : IClassFixture<SubscriberWorld>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private HttpClient Admin => world.Admin.Http;

    private SmtpSink Smtp => world.Smtp!;

    [SkippableFact]
    public async Task A_visitor_subscribes_confirms_gets_updates_of_its_components_with_one_click_unsubscribe_and_none_after_leaving()
    {
        Skip.If(world.Smtp is null, SmtpSink.Unavailable);
        var page = await PageAsync();
        var (leaver, stayer, onlyWeb) = (Address("leaver"), Address("stayer"), Address("web"));
        using var anonymous = world.Anonymous();

        var answer = await SubscribeFormAsync(anonymous, page.Slug, leaver);
        var html = await answer.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("Check your email", html, StringComparison.Ordinal);
        Assert.DoesNotContain(leaver, html, StringComparison.Ordinal);

        var confirmation = await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(leaver), Bound);
        Assert.StartsWith("Confirm your subscription to Fabrikam Rail", confirmation.Subject, StringComparison.Ordinal);
        Assert.NotNull(confirmation.Headers["List-Unsubscribe"]);
        var confirmUrl = Link(confirmation, "Confirm");
        Assert.StartsWith($"{ChannelsWorld.PublicUrl}status-pages/{page.Slug}/subscribe/confirm?token=", confirmUrl, StringComparison.Ordinal);
        Assert.Contains($"href=\"{WebUtility.HtmlEncode(confirmUrl)}\"", confirmation.HtmlBody, StringComparison.Ordinal);

        // Following the link (as a mail scanner would) shows a button and confirms nothing.
        using var shown = await anonymous.GetAsync(Relative(confirmUrl));
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains("data-outcome=\"ask\"", await shown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("pending", (await SubscriberAsync(page.Customer, leaver)).GetProperty("status").GetString());

        using var confirmed = await ConfirmAsync(anonymous, page.Slug, confirmUrl);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("You&#x27;re subscribed", await confirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("confirmed", (await SubscriberAsync(page.Customer, leaver)).GetProperty("status").GetString());
        await SubscribeAndConfirmAsync(anonymous, page.Slug, stayer);
        await SubscribeAndConfirmAsync(anonymous, page.Slug, onlyWeb, PublicStatusPages.KeyOf(page.Customer, "component", page.Web));

        // An incident of the API: both all-component subscribers get it, with the one-click headers; the Website-only one does not.
        var incident = await IncidentAsync(page, "Trains delayed", "Signals are failing north of the river.");
        var update = await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(leaver) && (m.Subject ?? "").Contains("Trains delayed", StringComparison.Ordinal), Bound);
        Assert.Equal("[Fabrikam Rail] Investigating: Trains delayed", update.Subject);
        Assert.Contains("Signals are failing north of the river.", update.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Status page: {ChannelsWorld.PublicUrl}status-pages/{page.Slug}", update.TextBody, StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", update.Headers["List-Unsubscribe-Post"]);
        var unsubscribeUrl = update.Headers["List-Unsubscribe"]!.Trim().TrimStart('<').TrimEnd('>');
        Assert.StartsWith($"{ChannelsWorld.PublicUrl}status-pages/{page.Slug}/unsubscribe?token=", unsubscribeUrl, StringComparison.Ordinal);
        Assert.Equal(unsubscribeUrl, Link(update, "Unsubscribe"));
        var stayerUpdate = await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(stayer) && (m.Subject ?? "").Contains("Trains delayed", StringComparison.Ordinal), Bound);
        var stayerLink = Link(stayerUpdate, "Unsubscribe");
        Assert.NotEqual(unsubscribeUrl, stayerLink);
        Assert.Equal($"<{stayerLink}>", stayerUpdate.Headers["List-Unsubscribe"]?.Trim());
        Assert.Contains($"href=\"{stayerLink}\"", stayerUpdate.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain(Token(unsubscribeUrl), stayerUpdate.HtmlBody, StringComparison.Ordinal);
        var outbox = world.Services.GetRequiredService<IChannelOutboxStore>();
        Assert.NotNull(await outbox.FindAsync($"incident-update:{incident}/1:{StatusSubscriberIds.Of(page.Customer, stayer)}"));
        Assert.Null(await outbox.FindAsync($"incident-update:{incident}/1:{StatusSubscriberIds.Of(page.Customer, onlyWeb)}"));

        // RFC 8058: the mail program POSTs List-Unsubscribe=One-Click to the header's URL, without sign-in.
        using var oneClick = await anonymous.PostAsync(Relative(unsubscribeUrl), new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        Assert.Equal("unsubscribed", (await SubscriberAsync(page.Customer, leaver)).GetProperty("status").GetString());

        await ServerScenario.Ok(Admin.PostAsJsonAsync($"api/v1/incidents/{incident}/updates", new { status = "resolved", message = "Signals repaired." }));
        await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(stayer) && (m.Subject ?? "").StartsWith("[Fabrikam Rail] Resolved", StringComparison.Ordinal), Bound);
        Assert.NotNull(await outbox.FindAsync($"incident-update:{incident}/2:{StatusSubscriberIds.Of(page.Customer, stayer)}"));
        Assert.Null(await outbox.FindAsync($"incident-update:{incident}/2:{StatusSubscriberIds.Of(page.Customer, leaver)}"));
        Assert.DoesNotContain(Smtp.To(leaver), m => (m.Subject ?? "").Contains("Resolved", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Announced_maintenance_reaches_the_subscribers_of_its_component_with_its_window()
    {
        Skip.If(world.Smtp is null, SmtpSink.Unavailable);
        var page = await PageAsync();
        var (all, api) = (Address("all"), Address("apionly"));
        using var anonymous = world.Anonymous();
        await SubscribeAndConfirmAsync(anonymous, page.Slug, all);
        await SubscribeAndConfirmAsync(anonymous, page.Slug, api, PublicStatusPages.KeyOf(page.Customer, "component", page.Api));
        var start = Instant.FromUnixTimeSeconds(SystemClock.Instance.GetCurrentInstant().ToUnixTimeSeconds() / 60 * 60) + Duration.FromDays(3);

        await ServerScenario.Ok(Admin.PostAsJsonAsync($"api/v1/monitors/{page.Web}/maintenance", new { start = start.ToString(), end = (start + Duration.FromHours(1)).ToString(), description = "New web servers" }));
        var mail = await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(all) && (m.Subject ?? "").Contains("Maintenance announced", StringComparison.Ordinal), Bound);

        Assert.Contains("New web servers", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Components:  Website", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(start.ToString("uuuu-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), mail.TextBody, StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        var outbox = world.Services.GetRequiredService<IChannelOutboxStore>();
        var notices = (await outbox.ListAsync(OutboxState.Delivered, ChannelKind.Email, 500)).Concat(await outbox.ListAsync(OutboxState.Pending, ChannelKind.Email, 500))
            .Where(m => m.MessageId.StartsWith($"maintenance-announced:{page.Web}/", StringComparison.Ordinal)).ToList();
        Assert.Equal([StatusSubscriberIds.Of(page.Customer, all)], notices.Select(m => m.MessageId.Split(':')[^1]));
    }

    [SkippableFact]
    public async Task Forged_expired_and_wrong_purpose_tokens_confirm_and_unsubscribe_nothing()
    {
        Skip.If(world.Smtp is null, SmtpSink.Unavailable);
        var page = await PageAsync();
        var email = Address("tokens");
        using var anonymous = world.Anonymous();
        await SubscribeFormAsync(anonymous, page.Slug, email);
        var mail = await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(email), Bound);
        var confirmToken = Token(Link(mail, "Confirm"));
        var unsubscribeToken = Token(Link(mail, "Unsubscribe"));
        var id = StatusSubscriberIds.Of(page.Customer, email);
        var key = (await world.Services.GetRequiredService<IGrainFactory>().GetGrain<ISigningKeyGrain>(ISigningKeyGrain.Key).Secret()).ToArray();
        var expired = SubscriberLinks.ConfirmToken(key, id, 1, SystemClock.Instance.GetCurrentInstant() - Duration.FromHours(49));
        var forged = confirmToken[..^3] + (confirmToken[^3] == 'A' ? "BBB" : "AAA");
        var otherKey = SubscriberLinks.ConfirmToken(new byte[32], id, 1, SystemClock.Instance.GetCurrentInstant());

        foreach (var token in new[] { forged, expired, unsubscribeToken, otherKey, "", new string('a', 2_000) })
        {
            using var refused = await anonymous.PostAsync($"status-pages/{page.Slug}/subscribe/confirm", Form(("token", token)));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("data-outcome=\"invalid\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var confirmAsUnsubscribe = await anonymous.PostAsync($"status-pages/{page.Slug}/unsubscribe?token={Uri.EscapeDataString(confirmToken)}", Form(("List-Unsubscribe", "One-Click")));
        Assert.Equal(HttpStatusCode.BadRequest, confirmAsUnsubscribe.StatusCode);
        using var expiredShown = await anonymous.GetAsync($"status-pages/{page.Slug}/subscribe/confirm?token={Uri.EscapeDataString(expired)}");
        Assert.Equal(HttpStatusCode.BadRequest, expiredShown.StatusCode);
        Assert.Equal("pending", (await SubscriberAsync(page.Customer, email)).GetProperty("status").GetString());

        // The genuine token still works after all that.
        using var confirmed = await anonymous.PostAsync($"status-pages/{page.Slug}/subscribe/confirm", Form(("token", confirmToken)));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("confirmed", (await SubscriberAsync(page.Customer, email)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_unknown_or_disabled_page_is_404_for_the_form_the_api_and_the_links()
    {
        var page = await PageAsync();
        await ServerScenario.Ok(Admin.PutAsJsonAsync($"api/v1/customers/{page.Customer}/status-page", new { slug = page.Slug, enabled = false }));
        using var anonymous = world.Anonymous();

        foreach (var slug in new[] { page.Slug, "nobody-holds-this", "NOT_A_SLUG" })
        {
            using var form = await SubscribeFormAsync(anonymous, slug, Address("nowhere"));
            using var api = await anonymous.PostAsJsonAsync($"api/v1/status-pages/{slug}/subscriptions", new { email = Address("nowhere") });
            using var confirm = await anonymous.GetAsync($"status-pages/{slug}/subscribe/confirm?token=x.y");
            Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (form.StatusCode, api.StatusCode, confirm.StatusCode));
        }
    }

    [SkippableFact]
    public async Task Bad_input_is_a_form_error_or_a_400_problem_and_asking_twice_answers_the_same_with_one_mail()
    {
        Skip.If(world.Smtp is null, SmtpSink.Unavailable);
        var page = await PageAsync();
        using var anonymous = world.Anonymous();

        using var badForm = await SubscribeFormAsync(anonymous, page.Slug, "not an address");
        var badHtml = await badForm.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, badForm.StatusCode);
        Assert.Contains("id=\"subscribe-error\"", badHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"not an address\"", badHtml, StringComparison.Ordinal);

        using var badApi = await anonymous.PostAsJsonAsync($"api/v1/status-pages/{page.Slug}/subscriptions", new { email = new string('a', 250) + "@example.com" });
        using var tooMany = await anonymous.PostAsJsonAsync($"api/v1/status-pages/{page.Slug}/subscriptions", new { email = Address("many"), components = Enumerable.Range(0, 101).Select(i => $"k{i}") });
        using var unknown = await anonymous.PostAsJsonAsync($"api/v1/status-pages/{page.Slug}/subscriptions", new { email = Address("unknown"), components = new[] { "component-0000000000000000" } });
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (badApi.StatusCode, tooMany.StatusCode, unknown.StatusCode));
        Assert.True((await badApi.JsonAsync()).GetProperty("errors").TryGetProperty("email", out _));
        Assert.True((await tooMany.JsonAsync()).GetProperty("errors").TryGetProperty("components", out _));

        var twice = Address("twice");
        using var first = await anonymous.PostAsJsonAsync($"api/v1/status-pages/{page.Slug}/subscriptions", new { email = twice });
        await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(twice), Bound);
        using var second = await anonymous.PostAsJsonAsync($"api/v1/status-pages/{page.Slug}/subscriptions", new { email = twice });
        using var secondForm = await SubscribeFormAsync(anonymous, page.Slug, twice);
        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.OK), (first.StatusCode, second.StatusCode, secondForm.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());

        // Within the 10-minute spacing nothing more is queued for the address.
        var outbox = world.Services.GetRequiredService<IChannelOutboxStore>();
        Assert.Null(await outbox.FindAsync($"subscriber-confirm:{StatusSubscriberIds.Of(page.Customer, twice)}:2"));
        Assert.Single(Smtp.To(twice));
    }

    [Fact]
    public async Task A_post_from_another_site_is_refused()
    {
        var page = await PageAsync();
        using var anonymous = world.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"status-pages/{page.Slug}/subscribe") { Content = Form(("email", Address("csrf"))) };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var fromOrigin = new HttpRequestMessage(HttpMethod.Post, $"status-pages/{page.Slug}/subscribe") { Content = Form(("email", Address("csrf"))) };
        fromOrigin.Headers.Add("Origin", "https://attacker.example.com");

        using var refused = await anonymous.SendAsync(request);
        using var refusedByOrigin = await anonymous.SendAsync(fromOrigin);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (refused.StatusCode, refusedByOrigin.StatusCode));
    }

    [SkippableFact]
    public async Task An_address_is_shown_to_staff_only_and_staff_remove_a_subscriber()
    {
        Skip.If(world.Smtp is null, SmtpSink.Unavailable);
        var page = await PageAsync();
        var email = Address("private");
        using var anonymous = world.Anonymous();
        await SubscribeFormAsync(anonymous, page.Slug, email);
        var own = $"own-{Guid.NewGuid():N}"[..12];
        await ServerScenario.UserAsync(Admin, own, "customer", page.Customer);
        using var customerUser = await world.SignInAsync(own, ServerScenario.Password(own));

        var publicHtml = await anonymous.GetStringAsync($"status-pages/{page.Slug}");
        using var ownList = await customerUser.Http.GetAsync($"api/v1/customers/{page.Customer}/subscribers");
        var staff = await SubscriberAsync(page.Customer, email);

        Assert.DoesNotContain(email, publicHtml, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("id=\"subscribe\"", publicHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, ownList.StatusCode);
        Assert.DoesNotContain(email, await ownList.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(email, staff.GetProperty("address").GetString());

        using var removed = await Admin.DeleteAsync($"api/v1/customers/{page.Customer}/subscribers/{staff.GetProperty("subscriberId").GetString()}");
        using var again = await Admin.DeleteAsync($"api/v1/customers/{page.Customer}/subscribers/{staff.GetProperty("subscriberId").GetString()}");
        var list = await (await ServerScenario.Ok(Admin.GetAsync($"api/v1/customers/{page.Customer}/subscribers"))).JsonAsync();
        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound), (removed.StatusCode, again.StatusCode));
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), s => s.GetProperty("address").GetString() == email);
    }

    [Fact]
    public async Task A_customer_user_adds_a_webhook_subscriber_that_receives_signed_incident_updates()
    {
        var page = await PageAsync();
        var own = $"own-{Guid.NewGuid():N}"[..12];
        await ServerScenario.UserAsync(Admin, own, "customer", page.Customer);
        using var customerUser = await world.SignInAsync(own, ServerScenario.Password(own));
        var path = $"hook-{Guid.NewGuid():N}";

        var created = await (await ServerScenario.Ok(customerUser.Http.PostAsJsonAsync($"api/v1/customers/{page.Customer}/subscribers", new { webhookUrl = world.Receiver.Url(path) }))).JsonAsync();
        world.Receiver.Expect(path, created.GetProperty("secret").GetString()!);
        using var internalTarget = await customerUser.Http.PostAsJsonAsync($"api/v1/customers/{page.Customer}/subscribers", new { webhookUrl = "http://[::1]:9/hook" });
        var incident = await IncidentAsync(page, "Ticket machines offline", "Card payments fail at stations.");
        var post = await world.Receiver.WaitFor(r => r.Path == path && r.Json.GetProperty("type").GetString() == "incident.updated", Bound);

        Assert.False(string.IsNullOrEmpty(created.GetProperty("secret").GetString()));
        Assert.Equal(
            ["incident.opened", "incident.updated", "incident.resolved", "maintenance.announced"],
            created.GetProperty("webhook").GetProperty("eventTypes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, internalTarget.StatusCode);
        Assert.Equal(incident, post.Json.GetProperty("data").GetProperty("incidentId").GetString());
        Assert.True(post.SignatureValid, "signed with the subscriber's secret");
    }

    private static string Address(string who) => $"{who}-{Guid.NewGuid():N}"[..20] + "@example.com";

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields)
        => new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    private static Task<HttpResponseMessage> SubscribeFormAsync(HttpClient client, string slug, string email, params string[] components)
        => client.PostAsync($"status-pages/{slug}/subscribe", Form([("email", email), .. components.Select(c => ("components", c))]));

    private static Task<HttpResponseMessage> ConfirmAsync(HttpClient client, string slug, string confirmUrl)
        => client.PostAsync($"status-pages/{slug}/subscribe/confirm", Form(("token", Token(confirmUrl))));

    private async Task SubscribeAndConfirmAsync(HttpClient client, string slug, string email, params string[] components)
    {
        await ServerScenario.Ok(SubscribeFormAsync(client, slug, email, components));
        var mail = await Smtp.WaitFor(m => SmtpSink.Recipients(m).Contains(email), Bound);
        await ServerScenario.Ok(ConfirmAsync(client, slug, Link(mail, "Confirm")));
    }

    /// <summary>The URL after "<paramref name="label"/>: " in the text part.</summary>
    private static string Link(MimeMessage mail, string label)
        => Regex.Match(mail.TextBody ?? string.Empty, $@"^{label}: (\S+)$", RegexOptions.Multiline).Groups[1].Value is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException($"No '{label}:' link in: {mail.TextBody}");

    private static string Token(string url) => Uri.UnescapeDataString(new Uri(url).Query.Split("token=", 2)[1]);

    private static string Relative(string url) => new Uri(url).PathAndQuery.TrimStart('/');

    private async Task<System.Text.Json.JsonElement> SubscriberAsync(string customer, string email)
    {
        var list = await (await ServerScenario.Ok(Admin.GetAsync($"api/v1/customers/{customer}/subscribers?limit=500"))).JsonAsync();
        return list.GetProperty("items").EnumerateArray().Single(s => s.GetProperty("address").GetString() == email);
    }

    private async Task<string> IncidentAsync(Page page, string title, string message)
        => (await (await ServerScenario.Ok(Admin.PostAsJsonAsync($"api/v1/customers/{page.Customer}/incidents", new
        {
            title,
            components = new[] { page.Api },
            impact = "partialOutage",
            message,
        }))).JsonAsync()).GetProperty("id").GetString()!;

    /// <summary>A customer "Fabrikam Rail" with an API and a Website component and an enabled public page.</summary>
    private async Task<Page> PageAsync()
    {
        var customer = await PublicPagesWorld.CustomerAsync(Admin, "Fabrikam Rail");
        var (api, web) = ($"api-{customer}", $"web-{customer}");
        await ServerScenario.Ok(Admin.PostAsJsonAsync("api/v1/monitors", new { id = api, customerId = customer, name = "Journey planner", critical = true }));
        await ServerScenario.Ok(Admin.PostAsJsonAsync("api/v1/monitors", new { id = web, customerId = customer, name = "Website", critical = false }));
        var slug = $"fabrikam-{Guid.NewGuid():N}"[..20];
        await ServerScenario.Ok(Admin.PutAsJsonAsync($"api/v1/customers/{customer}/status-page", new { slug, enabled = true }));
        return new Page(customer, slug, api, web);
    }

    private sealed record Page(string Customer, string Slug, string Api, string Web);
}

/// <summary>The channels' world with room for the many subscription requests one test class sends from one address.</summary>
public class SubscriberWorld : ChannelsWorld
{
    /// <summary>Subscription requests allowed per client address and minute.</summary>
    protected virtual int SubscribesPerMinute => 1_000;

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
        [.. base.Settings, new("RateLimits:StatusPages:SubscribesPerMinute", SubscribesPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}

/// <summary>As <see cref="SubscriberWorld"/>, allowing 2 subscription requests per address and minute.</summary>
public sealed class TightSubscribeLimitWorld : SubscriberWorld
{
    protected override int SubscribesPerMinute => 2;
}

/// <summary>The subscription requests' own limit per client address, form and JSON counted together.</summary>
public sealed class SubscribeRateLimitTests(TightSubscribeLimitWorld world) : IClassFixture<TightSubscribeLimitWorld>
{
    [Fact]
    public async Task The_third_subscription_request_in_a_minute_from_one_address_is_429_with_retry_after_while_the_page_still_answers()
    {
        using var admin = await world.AdminAsync();
        var customer = await PublicPagesWorld.CustomerAsync(admin.Http, "Tailspin Toys");
        var slug = $"tailspin-{Guid.NewGuid():N}"[..20];
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/customers/{customer}/status-page", new { slug, enabled = true }));
        using var anonymous = world.Anonymous();

        using var first = await anonymous.PostAsync($"status-pages/{slug}/subscribe", new FormUrlEncodedContent([new("email", "one@example.com")]));
        using var second = await anonymous.PostAsJsonAsync($"api/v1/status-pages/{slug}/subscriptions", new { email = "two@example.com" });
        using var third = await anonymous.PostAsync($"status-pages/{slug}/subscribe", new FormUrlEncodedContent([new("email", "three@example.com")]));
        using var page = await anonymous.GetAsync($"status-pages/{slug}");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Accepted, (HttpStatusCode)429, HttpStatusCode.OK), (first.StatusCode, second.StatusCode, third.StatusCode, page.StatusCode));
        Assert.True(int.Parse(third.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
    }
}

