using System.Net;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Channels;

namespace SlaGrains.Ui.Mail;

/// <summary>
/// Renders the channel outbox's messages from Razor components with ASP.NET Core's <see cref="HtmlRenderer"/>: per
/// template an HTML component and a plain-text component (its output HTML-decoded), and a card for Slack and Teams.
/// Links are absolute, from <see cref="MailLinks"/> (<c>App:PublicUrl</c>, by default the server's own address).
/// </summary>
public sealed class MailRenderer : IMessageRenderer, IAsyncDisposable
{
    // The renderer resolves scoped component services (e.g. its activity source): it lives in a scope of its own, for
    // as long as this singleton does.
    private readonly AsyncServiceScope _scope;
    private readonly HtmlRenderer _renderer;
    private readonly MailLinks _links;

    /// <summary>A renderer over a scope of <paramref name="scopes"/>, with links from <paramref name="links"/>.</summary>
    public MailRenderer(IServiceScopeFactory scopes, ILoggerFactory loggers, MailLinks links)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        _scope = scopes.CreateAsyncScope();
        _renderer = new HtmlRenderer(_scope.ServiceProvider, loggers);
        _links = links;
    }

    /// <inheritdoc />
    public async Task<RenderedMessage> RenderAsync(OutboundMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        switch (message.Template)
        {
            case MessageTemplates.EscalationRaised:
                var model = MessageTemplates.Deserialize<EscalationNoticeModel>(message.Model);
                var (html, text) = await PartsAsync<EscalationMail, EscalationMailText>(model);
                return new RenderedMessage(EscalationMail.Subject(model), html, text, Card(model));
            case CustomerMailTemplates.CreditNotice:
                var credit = MessageTemplates.Deserialize<CreditNoticeMailModel>(message.Model);
                return await ContactMailAsync<CreditNoticeMail, CreditNoticeMailText>(credit, CustomerMailText.Subject(credit), credit.UnsubscribeToken,
                    $"{credit.CustomerName} is owed {CustomerMailText.Money(credit.Amount, credit.Currency)} for {credit.Month}.",
                    [new("Month", credit.Month), new("Availability", $"{CustomerMailText.Percent(credit.AvailabilityPercent)} %"), new("Credit", CustomerMailText.Money(credit.Amount, credit.Currency))],
                    _links.Status(credit.CustomerId));
            case CustomerMailTemplates.Maintenance:
                var window = MessageTemplates.Deserialize<MaintenanceMailModel>(message.Model);
                return await ContactMailAsync<MaintenanceMail, MaintenanceMailText>(window, CustomerMailText.Subject(window), window.UnsubscribeToken,
                    $"Maintenance is planned on {window.Component}.",
                    [new("Starts", CustomerMailText.Time(window.Start)), new("Ends", CustomerMailText.Time(window.End))],
                    _links.Status(window.CustomerId));
            case CustomerMailTemplates.MonthlyStatement:
                var statement = MessageTemplates.Deserialize<StatementMailModel>(message.Model);
                return await ContactMailAsync<StatementMail, StatementMailText>(statement, CustomerMailText.Subject(statement), statement.UnsubscribeToken,
                    $"{statement.CustomerName}'s SLA statement for {statement.Month}.",
                    [new("Availability", $"{CustomerMailText.Percent(statement.UptimePercent)} %"), new("Result", statement.Result)],
                    _links.Status(statement.CustomerId));
            case MessageTemplates.Notice:
                var notice = MessageTemplates.Deserialize<NoticeModel>(message.Model);
                var noticeParts = await PartsAsync<NoticeMail, NoticeMailText>(notice);
                return new RenderedMessage(
                    NoticeMail.Subject(notice),
                    noticeParts.Html,
                    noticeParts.Text,
                    new MessageCard(
                        NoticeMail.Subject(notice),
                        notice.Line.Summary,
                        [new MessageFact("Kind", NoticeMail.KindName(notice.Line.Kind)), new MessageFact("At", EscalationMail.Time(notice.Line.At)), .. notice.Line.CustomerId is { } c ? [new MessageFact("Customer", c)] : Array.Empty<MessageFact>()],
                        notice.Line.LinkPath is null ? null : "Open in SlaGrains",
                        notice.Line.LinkPath is { } p ? _links.Path(p) : null));
            case MessageTemplates.Digest:
                var digest = MessageTemplates.Deserialize<DigestModel>(message.Model);
                var digestParts = await PartsAsync<DigestMail, DigestMailText>(digest);
                return new RenderedMessage(
                    DigestMail.Subject(digest),
                    digestParts.Html,
                    digestParts.Text,
                    new MessageCard(
                        DigestMail.Subject(digest),
                        DigestMail.Sentence(digest),
                        [.. digest.Lines.Take(10).Select(l => new MessageFact(EscalationMail.Time(l.At), l.Title))],
                        "Open the inbox",
                        _links.Inbox));
            case SlaGrains.Contracts.Subscribers.SubscriberTemplates.Confirm:
            case SlaGrains.Contracts.Subscribers.SubscriberTemplates.Notice:
                return await SubscriberMails.RenderAsync(message, _links, PartsAsync<SubscriberConfirmMail, SubscriberConfirmMailText>, PartsAsync<SubscriberNoticeMail, SubscriberNoticeMailText>);
            default:
                throw new InvalidOperationException($"No template is called '{message.Template}'.");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _renderer.DisposeAsync();
        await _scope.DisposeAsync();
    }

    private MessageCard Card(EscalationNoticeModel model) => new(
        EscalationMail.Subject(model),
        EscalationMail.Sentence(model),
        [
            new MessageFact("Ticket", model.TicketId),
            new MessageFact("Customer", model.CustomerId),
            new MessageFact("Priority", model.Priority),
            new MessageFact("Clock", EscalationMail.MetricName(model.Metric)),
            new MessageFact(model.Percent >= 100 ? "Breached at" : "Due at", EscalationMail.Time(model.DueAt)),
        ],
        "Open the ticket",
        _links.Ticket(model.TicketId));

    /// <summary>A customer contact's mail: its HTML and text components with the model and links, a card, and the one-click unsubscribe URL.</summary>
    private async Task<RenderedMessage> ContactMailAsync<THtml, TText>(object model, string subject, string token, string sentence, MessageFact[] facts, string link)
        where THtml : IComponent
        where TText : IComponent
    {
        var (html, text) = await PartsAsync<THtml, TText>(model);
        return new RenderedMessage(subject, html, text, new MessageCard(subject, sentence, [.. facts], "See the status page", link), _links.Unsubscribe(token));
    }

    /// <summary>
    /// A template's HTML part and its plain-text part (the text component's output HTML-decoded), each component given
    /// the model and the links (every mail component takes them as <c>Model</c> and <c>Links</c>).
    /// </summary>
    private async Task<(string Html, string Text)> PartsAsync<THtml, TText>(object model)
        where THtml : IComponent
        where TText : IComponent
    {
        var parameters = new Dictionary<string, object?> { ["Model"] = model, ["Links"] = _links };
        return (await RenderAsync<THtml>(parameters), WebUtility.HtmlDecode(await RenderAsync<TText>(parameters)).Trim() + Environment.NewLine);
    }

    private Task<string> RenderAsync<TComponent>(Dictionary<string, object?> parameters)
        where TComponent : IComponent
        => _renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await _renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });
}

/// <summary>Absolute links into the app, from its public base URL (<c>App:PublicUrl</c>).</summary>
/// <param name="baseUrl">Gives the base URL (read when a link is made: the server's own address is known only once it listens).</param>
public sealed class MailLinks(Func<Uri> baseUrl)
{
    /// <summary>The base URL, ending in '/'.</summary>
    public Uri Base
    {
        get
        {
            var url = baseUrl();
            return url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
        }
    }

    /// <summary>A ticket's page.</summary>
    public string Ticket(string ticketId) => new Uri(Base, $"tickets/{Uri.EscapeDataString(ticketId)}").AbsoluteUri;

    /// <summary>A page of the app by its path relative to the base (e.g. <c>tickets/T-1</c>).</summary>
    public string Path(string relative) => new Uri(Base, (relative ?? string.Empty).TrimStart('/')).AbsoluteUri;

    /// <summary>The escalation inbox.</summary>
    public string Inbox => new Uri(Base, "inbox").AbsoluteUri;

    /// <summary>The user's settings (where the address is changed).</summary>
    public string Settings => new Uri(Base, "settings").AbsoluteUri;

    /// <summary>The one-click unsubscribe of a customer contact's mail (<c>/mail/unsubscribe?token=…</c>).</summary>
    public string Unsubscribe(string token) => new Uri(Base, $"mail/unsubscribe?token={Uri.EscapeDataString(token)}").AbsoluteUri;

    /// <summary>A customer's status page.</summary>
    public string Status(string customerId) => new Uri(Base, $"status/{Uri.EscapeDataString(customerId)}").AbsoluteUri;

    /// <summary>A public status page.</summary>
    public string StatusPage(string slug) => new Uri(Base, $"status-pages/{Uri.EscapeDataString(slug)}").AbsoluteUri;

    /// <summary>A subscriber's confirmation page (a GET showing a button).</summary>
    public string SubscriberConfirm(string slug, string token)
        => new Uri(Base, $"status-pages/{Uri.EscapeDataString(slug)}/subscribe/confirm?token={Uri.EscapeDataString(token)}").AbsoluteUri;

    /// <summary>A subscriber's unsubscribe URL: its GET shows a button, its POST (RFC 8058 one-click) unsubscribes.</summary>
    public string SubscriberUnsubscribe(string slug, string token)
        => new Uri(Base, $"status-pages/{Uri.EscapeDataString(slug)}/unsubscribe?token={Uri.EscapeDataString(token)}").AbsoluteUri;
}
