using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Ui.Mail;

namespace SlaGrains.Server.Api;

/// <summary>
/// <c>GET</c> and <c>PUT /api/v1/customers/{id}/contacts</c>: the people a customer's mail goes to; and
/// <c>/mail/unsubscribe?token=…</c>, the one-click unsubscribe of that mail (no sign-in: the signed token is the proof).
/// </summary>
internal static class CustomerContactsApi
{
    public static void MapCustomerContactsApi(this RouteGroupBuilder api)
    {
        var customers = api.MapGroup("/customers").WithTags("Customers");
        customers.MapGet("/{id}/contacts", async (string id, ClaimsPrincipal user, CustomerContactsCommands commands) => ApiResults.Ok(await commands.Get(Caller.From(user), id)))
            .Produces<ContactsView>().WithSummary("The customer's contacts: name, email and which customer mail each gets (credit notices, maintenance, monthly statement).");
        customers.MapPut("/{id}/contacts", async (string id, ContactsInput request, ClaimsPrincipal user, CustomerContactsCommands commands) => ApiResults.Ok(await commands.Set(Caller.From(user), id, request)))
            .Produces<ContactsView>()
            .WithSummary("Replaces the customer's contacts (admins and managers): { contacts: [{ name, email, creditNotices, maintenance, monthlyStatement }] }, at most 50, addresses unique; the three switches default to true.");
    }

    /// <summary>
    /// <c>GET /mail/unsubscribe?token=</c> shows what the link stops and a button (mail scanners fetch links: a GET never
    /// acts); <c>POST</c> (RFC 8058's <c>List-Unsubscribe=One-Click</c> from the mail program, or the button) turns that
    /// kind of mail off for that contact. A token that is not ours gets 400, a contact that is gone 404; neither changes anything.
    /// </summary>
    public static void MapContactUnsubscribe(this IEndpointRouteBuilder app)
    {
        var mail = app.MapGroup("/mail/unsubscribe").AllowAnonymous().WithTags("Customer mail");
        mail.MapGet("", async (string? token, CustomerContactsCommands commands) => Page(await commands.Preview(token), token, done: false))
            .ExcludeFromDescription();
        mail.MapPost("", async (string? token, CustomerContactsCommands commands) => Page(await commands.Unsubscribe(token), token, done: true))
            .DisableAntiforgery()
            // A link in mail answering with a page (also for a bad token), not part of the JSON API the document describes.
            .ExcludeFromDescription();
    }

    private static RazorComponentResult<ContactUnsubscribePage> Page(Result<ContactUnsubscribeView> result, string? token, bool done)
        => new(new Dictionary<string, object?>
        {
            [nameof(ContactUnsubscribePage.View)] = result.Succeeded ? result.Value : null,
            [nameof(ContactUnsubscribePage.Token)] = result.Succeeded ? token : null,
            [nameof(ContactUnsubscribePage.Done)] = done,
        })
        {
            StatusCode = result.Succeeded ? StatusCodes.Status200OK : result.Failure.Kind == FailureKind.Invalid ? StatusCodes.Status400BadRequest : StatusCodes.Status404NotFound,
        };
}
