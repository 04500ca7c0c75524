using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SlaGrains.Application.StatusPages;
using SlaGrains.Application.Subscribers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Server.Api;
using SlaGrains.Ui.Layout;
using SlaGrains.Ui.Public;

namespace SlaGrains.Server.StatusPages;

/// <summary>The body of <c>POST /api/v1/status-pages/{slug}/subscriptions</c>.</summary>
/// <param name="Email">The address (at most 254 characters).</param>
/// <param name="Components">The page's component keys (the <c>value</c>s of its form), at most 100; none or absent: all.</param>
public sealed record SubscriptionRequest(string? Email, IReadOnlyList<string>? Components);

/// <summary>
/// Status page subscribers. Public, without sign-in, under the status pages' rate limit (subscription requests under
/// their own, tighter one, <see cref="SubscribeRateLimit"/>): the page's form
/// (<c>POST /status-pages/{slug}/subscribe</c>, an HTML form post answered with a page) and its JSON twin
/// (<c>POST /api/v1/status-pages/{slug}/subscriptions</c>, 202); the confirmation link
/// (<c>GET …/subscribe/confirm?token=</c> shows a button, its <c>POST</c> confirms); the unsubscribe link
/// (<c>GET …/unsubscribe?token=</c> shows a button; <c>POST</c>, also RFC 8058's one-click
/// <c>List-Unsubscribe=One-Click</c> from the mail program, unsubscribes). Staff: <c>GET</c> and <c>DELETE
/// /api/v1/customers/{id}/subscribers</c>; a webhook subscriber: <c>POST /api/v1/customers/{id}/subscribers</c>.
/// </summary>
/// <remarks>
/// <para><b>Cross-site posts.</b> The subscription form carries no cookie and the page stays cacheable, so instead of an
/// anti-forgery token (a per-visitor cookie) a browser's post from another site is refused by its <c>Sec-Fetch-Site</c>
/// or <c>Origin</c> header (403). The confirm and unsubscribe posts need no such check: the signed token is the proof,
/// and the one-click unsubscribe comes from mail programs' servers, which send neither header.</para>
/// <para><b>Nothing tells.</b> A subscription request is answered the same for a new, pending, confirmed or held-back
/// address; no page names an address.</para>
/// </remarks>
internal static class StatusSubscriberEndpoints
{
    public static void MapStatusSubscriberEndpoints(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/status-pages/{slug}").AllowAnonymous().RequireRateLimiting(new PublicRateLimit()).DisableAntiforgery().ExcludeFromDescription();
        var subscribeLimit = new SubscribeRateLimit();
        pages.MapPost("/subscribe", SubscribeForm).RequireRateLimiting(subscribeLimit);
        pages.MapGet("/subscribe/confirm", ConfirmPage);
        pages.MapPost("/subscribe/confirm", Confirm);
        pages.MapGet("/unsubscribe", UnsubscribePage);
        pages.MapPost("/unsubscribe", Unsubscribe);

        app.MapPost("/api/v1/status-pages/{slug}/subscriptions", SubscribeJson)
            .AllowAnonymous().RequireRateLimiting(subscribeLimit).DisableAntiforgery().WithTags("Public status pages")
            .Produces(StatusCodes.Status202Accepted)
            .WithSummary("Asks for a confirmation mail (double opt-in) to email for components (the page's component keys; none: all). 202 whatever the address's state; 400 bad input; 404 no page.");

        var customers = app.MapGroup("/api/v1/customers").RequireAuthorization().WithTags("Customers");
        customers.MapGet("/{id}/subscribers", async (string id, string? after, int? limit, ClaimsPrincipal user, StatusSubscribers subscribers)
                => ApiResults.Ok(await subscribers.List(Caller.From(user), id, after, limit)))
            .Produces<SubscriberPage>()
            .WithSummary("The status page's email subscribers, by id (staff only; addresses are shown to nobody else): limit 1–500 (default 100), after = the previous page's next.");
        customers.MapDelete("/{id}/subscribers/{subscriberId}", async (string id, string subscriberId, ClaimsPrincipal user, StatusSubscribers subscribers) =>
            {
                var result = await subscribers.Remove(Caller.From(user), id, subscriberId);
                return result.Succeeded ? Results.NoContent() : ApiResults.Problem(result.Failure);
            })
            .WithSummary("Removes an email subscriber (staff only).");
        customers.MapPost("/{id}/subscribers", async (string id, WebhookSubscriberInput request, ClaimsPrincipal user, StatusSubscribers subscribers) =>
            {
                var result = await subscribers.AddWebhook(Caller.From(user), id, request);
                return result.Succeeded
                    ? Results.Created($"/api/v1/customers/{Uri.EscapeDataString(id)}/webhooks/{Uri.EscapeDataString(result.Value.Webhook.WebhookId)}", result.Value)
                    : ApiResults.Problem(result.Failure);
            })
            .Produces<CreatedWebhook>(StatusCodes.Status201Created)
            .WithSummary("Adds a webhook subscriber: { webhookUrl } receives incident.opened, incident.updated, incident.resolved and maintenance.announced, signed like every webhook (the secret is in this answer only).");
    }

    /// <summary>True when a browser says the post came from another site.</summary>
    public static bool IsCrossSite(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var site = http.Request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is not ("same-origin" or "none");
        }

        var origin = http.Request.Headers.Origin.ToString();
        return origin.Length > 0
            && !(Uri.TryCreate(origin, UriKind.Absolute, out var from)
                && string.Equals(from.Host, http.Request.Host.Host, StringComparison.OrdinalIgnoreCase)
                && (from.IsDefaultPort ? null : (int?)from.Port) == http.Request.Host.Port
                && string.Equals(from.Scheme, http.Request.Scheme, StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<IResult> SubscribeForm(string slug, HttpContext http, StatusSubscribers subscribers, PublicStatusPages store, ISlaNow clock, IConfiguration configuration)
    {
        if (IsCrossSite(http))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Subscribe from the status page itself.");
        }

        if (!http.Request.HasFormContentType)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: "Send the page's form.");
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var email = form["email"].ToString();
        var result = await subscribers.Subscribe(slug, email, [.. form["components"].Select(c => c ?? string.Empty)]);
        if (result.Succeeded)
        {
            return CheckMail(slug, await store.Find(slug));
        }

        if (result.Failure.Kind == FailureKind.NotFound || await store.Find(slug) is not { } page)
        {
            return new RazorComponentResult<PublicNotFound> { StatusCode = StatusCodes.Status404NotFound };
        }

        if (result.Failure.Kind != FailureKind.Invalid)
        {
            // A domain refusal other than bad input (none is expected): as accepted, so nothing tells about the address.
            return CheckMail(slug, page);
        }

        // The page again with the error beside the form (400), the address kept so it can be corrected.
        http.Response.Headers.CacheControl = "private, no-store";
        return new RazorComponentResult<PublicStatusDocument>(new Dictionary<string, object?>
        {
            [nameof(PublicStatusDocument.Page)] = page,
            [nameof(PublicStatusDocument.Now)] = clock.Now,
            [nameof(PublicStatusDocument.PageUrl)] = new Uri(PublicStatusPagesEndpoints.PublicBase(http, configuration), StatusPageSlug.PathOf(page.Slug).TrimStart('/')),
            [nameof(PublicStatusDocument.Dark)] = ThemeCookies.Parse(http.Request.Cookies[ThemeCookies.Choice]),
            [nameof(PublicStatusDocument.SubscribeError)] = result.Failure.ForPeople,
            [nameof(PublicStatusDocument.SubscribeEmail)] = email.Length <= 254 ? email : null,
        })
        { StatusCode = StatusCodes.Status400BadRequest };
    }

    private static async Task<IResult> SubscribeJson(string slug, SubscriptionRequest request, StatusSubscribers subscribers)
    {
        var result = await subscribers.Subscribe(slug, request.Email, request.Components);
        if (result.Succeeded || result.Failure.Kind == FailureKind.Rejected)
        {
            return Results.Accepted();
        }

        return result.Failure.Kind == FailureKind.NotFound ? NotFound() : ApiResults.Problem(result.Failure);
    }

    private static async Task<IResult> ConfirmPage(string slug, string? token, StatusSubscribers subscribers, PublicStatusPages store)
    {
        if (await store.Find(slug) is not { } page)
        {
            return new RazorComponentResult<PublicNotFound> { StatusCode = StatusCodes.Status404NotFound };
        }

        return await subscribers.IsConfirmToken(token)
            ? Outcome(page, "ask", "Confirm your subscription", $"Press the button to start receiving {page.Name} incident and maintenance updates by email.", StatusCodes.Status200OK, "subscribe/confirm", token, "Confirm my subscription")
            : Invalid(page, "This confirmation link is not valid or has expired: subscribe again to get a new one.");
    }

    private static async Task<IResult> Confirm(string slug, HttpContext http, StatusSubscribers subscribers, PublicStatusPages store)
    {
        if (await store.Find(slug) is not { } page)
        {
            return new RazorComponentResult<PublicNotFound> { StatusCode = StatusCodes.Status404NotFound };
        }

        var token = await TokenAsync(http);
        var result = await subscribers.Confirm(slug, token);
        return result.Succeeded
            ? Outcome(page, "subscribed", "You're subscribed", $"You will get an email when {page.Name} posts an incident update or announces maintenance. Every email has an unsubscribe link.", StatusCodes.Status200OK)
            : Invalid(page, result.Failure.ForPeople);
    }

    private static async Task<IResult> UnsubscribePage(string slug, string? token, StatusSubscribers subscribers, PublicStatusPages store)
    {
        var name = (await store.Find(slug))?.Name;
        if (!StatusPageSlug.IsSlug(slug))
        {
            return new RazorComponentResult<PublicNotFound> { StatusCode = StatusCodes.Status404NotFound };
        }

        return await subscribers.IsUnsubscribeToken(token)
            ? Outcome(slug, name, "ask", "Unsubscribe", "Press the button to stop receiving these status updates by email.", StatusCodes.Status200OK, "unsubscribe", token, "Unsubscribe")
            : Outcome(slug, name, "invalid", "This link does not work", "This unsubscribe link is not valid.", StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> Unsubscribe(string slug, HttpContext http, StatusSubscribers subscribers, PublicStatusPages store)
    {
        // RFC 8058: the mail program posts List-Unsubscribe=One-Click to the URL (token in its query); the page's button posts the token.
        var token = await TokenAsync(http);
        var result = await subscribers.Unsubscribe(slug, token);
        if (!result.Succeeded && result.Failure.Kind == FailureKind.NotFound)
        {
            return new RazorComponentResult<PublicNotFound> { StatusCode = StatusCodes.Status404NotFound };
        }

        var name = (await store.Find(slug))?.Name;
        return result.Succeeded
            ? Outcome(slug, name, "unsubscribed", "You're unsubscribed", "You will get no more status updates by email from this page. Subscribe again on the page at any time.", StatusCodes.Status200OK)
            : Outcome(slug, name, "invalid", "This link does not work", result.Failure.ForPeople, StatusCodes.Status400BadRequest);
    }

    /// <summary>The token from the query (the mail's URL) or the posted form (the page's button).</summary>
    private static async Task<string?> TokenAsync(HttpContext http)
    {
        if (http.Request.Query["token"].ToString() is { Length: > 0 } fromQuery)
        {
            return fromQuery;
        }

        if (!http.Request.HasFormContentType || http.Request.ContentLength > 4_096)
        {
            return null;
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        return form["token"].ToString() is { Length: > 0 } fromForm ? fromForm : null;
    }

    private static RazorComponentResult<PublicSubscriberPage> CheckMail(string slug, PublicStatus? page)
        => Outcome(slug, page?.Name, "check-mail", "Check your email",
            "If the address can receive updates of this page, a confirmation email is on its way: follow its link within 48 hours to start receiving them.", StatusCodes.Status200OK);

    private static RazorComponentResult<PublicSubscriberPage> Invalid(PublicStatus page, string message)
        => Outcome(page, "invalid", "This link does not work", message, StatusCodes.Status400BadRequest);

    private static RazorComponentResult<PublicSubscriberPage> Outcome(PublicStatus page, string outcome, string title, string message, int status, string? leaf = null, string? token = null, string? button = null)
        => Outcome(page.Slug, page.Name, outcome, title, message, status, leaf, token, button);

    private static RazorComponentResult<PublicSubscriberPage> Outcome(string slug, string? name, string outcome, string title, string message, int status, string? leaf = null, string? token = null, string? button = null)
        => new(new Dictionary<string, object?>
        {
            [nameof(PublicSubscriberPage.Slug)] = slug,
            [nameof(PublicSubscriberPage.PageName)] = name ?? slug,
            [nameof(PublicSubscriberPage.Title)] = title,
            [nameof(PublicSubscriberPage.Message)] = message,
            [nameof(PublicSubscriberPage.Outcome)] = outcome,
            [nameof(PublicSubscriberPage.Action)] = leaf is null ? null : $"{StatusPageSlug.PathOf(slug).TrimStart('/')}/{leaf}",
            [nameof(PublicSubscriberPage.Token)] = token,
            [nameof(PublicSubscriberPage.Button)] = button,
        })
        { StatusCode = status };

    private static ProblemHttpResult NotFound() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: PublicStatusPagesEndpoints.NotFoundDetail);
}
