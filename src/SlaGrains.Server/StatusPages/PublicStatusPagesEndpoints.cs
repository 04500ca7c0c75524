using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using SlaGrains.Application.StatusPages;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Server.Hosting;
using SlaGrains.Ui.Layout;
using SlaGrains.Ui.Public;

namespace SlaGrains.Server.StatusPages;

/// <summary>
/// The public status pages, open to anyone: <c>GET /status-pages/{slug}</c> (the page, static server-side rendering: no
/// circuit, no script), <c>/history.atom</c>, <c>/history.rss</c>, <c>/maintenance.ics</c> and the badges
/// <c>/badge/status.svg</c>, <c>/badge/uptime-30d.svg</c>, <c>/badge/uptime-90d.svg</c>. All of them read one cached
/// <see cref="PublicStatus"/> (<see cref="PublicStatusPages"/>) and share one rate limit per client address
/// (<see cref="PublicRateLimit"/>). A slug nobody holds and a disabled page get the same 404, byte for byte.
/// </summary>
/// <remarks>
/// Links in feeds are absolute: from <c>App:PublicUrl</c> when the operator set it (an absolute http or https URL),
/// else from the request's scheme, host and path base.
/// </remarks>
internal static class PublicStatusPagesEndpoints
{
    /// <summary>What a 404 says, the same for every way of not finding a page.</summary>
    public const string NotFoundDetail = "There is no status page at this address.";

    public static void MapPublicStatusPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/status-pages/{slug}").AllowAnonymous().RequireRateLimiting(new PublicRateLimit()).WithTags("Public status pages");
        pages.MapGet("", Page).ExcludeFromDescription();
        pages.MapGet("/history.atom", (string slug, HttpContext http, PublicStatusPages store, IConfiguration configuration)
                => Feed(slug, http, store, configuration, (page, url) => StatusFeeds.Atom(page, url, SelfUrl(http, configuration)), StatusFeeds.AtomType))
            .WithSummary("Incidents and maintenance of the last 90 days as Atom 1.0, newest first (at most 50).");
        pages.MapGet("/history.rss", (string slug, HttpContext http, PublicStatusPages store, IConfiguration configuration)
                => Feed(slug, http, store, configuration, (page, url) => StatusFeeds.Rss(page, url, SelfUrl(http, configuration)), StatusFeeds.RssType))
            .WithSummary("The same history as RSS 2.0.");
        pages.MapGet("/maintenance.ics", (string slug, HttpContext http, PublicStatusPages store, IConfiguration configuration)
                => Feed(slug, http, store, configuration, StatusFeeds.Maintenance, StatusFeeds.CalendarType))
            .WithSummary("Recent, ongoing and announced maintenance as an iCalendar feed (one VEVENT per window, stable UIDs).");
        pages.MapGet("/badge/status.svg", (string slug, HttpContext http, PublicStatusPages store) => Badge(slug, http, store, StatusBadges.Status))
            .WithSummary("A badge of the current status (SVG, shields.io flat style).");
        pages.MapGet("/badge/uptime-30d.svg", (string slug, HttpContext http, PublicStatusPages store) => Badge(slug, http, store, page => StatusBadges.Uptime(page, 30)))
            .WithSummary("A badge of the last 30 days' uptime (SVG).");
        pages.MapGet("/badge/uptime-90d.svg", (string slug, HttpContext http, PublicStatusPages store) => Badge(slug, http, store, page => StatusBadges.Uptime(page, 90)))
            .WithSummary("A badge of the last 90 days' uptime (SVG).");
    }

    /// <summary>Where the site is reached from outside, ending in '/'.</summary>
    public static Uri PublicBase(HttpContext http, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(configuration);
        return PublicUrl.Configured(configuration) ?? new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/");
    }

    private static async Task<IResult> Page(string slug, HttpContext http, PublicStatusPages store, ISlaNow clock, IConfiguration configuration)
    {
        if (await store.Find(slug) is not { } page)
        {
            return new RazorComponentResult<PublicNotFound> { StatusCode = StatusCodes.Status404NotFound };
        }

        var signedIn = http.User.Identity?.IsAuthenticated == true ? Caller.From(http.User) : null;

        // The answer differs by viewer (the link to the full page, the month): shared caches keep only the anonymous one.
        http.Response.Headers.CacheControl = signedIn is null ? "public, max-age=30" : "private, no-store";
        http.Response.Headers.Vary = "Cookie";
        var pageUrl = new Uri(PublicBase(http, configuration), StatusPageSlug.PathOf(page.Slug).TrimStart('/'));
        return new RazorComponentResult<PublicStatusDocument>(new Dictionary<string, object?>
        {
            [nameof(PublicStatusDocument.Page)] = page,
            [nameof(PublicStatusDocument.Now)] = clock.Now,
            [nameof(PublicStatusDocument.Reader)] = PublicStatusPages.SeesFullPage(signedIn, page) ? signedIn!.Name : null,
            [nameof(PublicStatusDocument.PageUrl)] = pageUrl,
            [nameof(PublicStatusDocument.Dark)] = ThemeCookies.Parse(http.Request.Cookies[ThemeCookies.Choice]),
        });
    }

    private static async Task<IResult> Feed(string slug, HttpContext http, PublicStatusPages store, IConfiguration configuration, Func<PublicStatus, Uri, byte[]> write, string contentType)
        => await store.Find(slug) is { } page
            ? ConditionalGet.Send(http, write(page, new Uri(PublicBase(http, configuration), StatusPageSlug.PathOf(page.Slug).TrimStart('/'))), contentType)
            : NotFound();

    private static async Task<IResult> Badge(string slug, HttpContext http, PublicStatusPages store, Func<PublicStatus, string> draw)
        => await store.Find(slug) is { } page
            ? ConditionalGet.Send(http, Encoding.UTF8.GetBytes(draw(page)), "image/svg+xml; charset=utf-8")
            : NotFound();

    private static Uri SelfUrl(HttpContext http, IConfiguration configuration)
        => new(PublicBase(http, configuration), http.Request.Path.Value!.TrimStart('/'));

    private static ProblemHttpResult NotFound() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: NotFoundDetail);
}
