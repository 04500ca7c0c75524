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
                var parameters = new Dictionary<string, object?> { [nameof(EscalationMail.Model)] = model, [nameof(EscalationMail.Links)] = _links };
                var html = await RenderAsync<EscalationMail>(parameters);
                var text = WebUtility.HtmlDecode(await RenderAsync<EscalationMailText>(parameters)).Trim() + Environment.NewLine;
                return new RenderedMessage(EscalationMail.Subject(model), html, text, Card(model));
            case SlaGrains.Contracts.Subscribers.SubscriberTemplates.Confirm:
            case SlaGrains.Contracts.Subscribers.SubscriberTemplates.Notice:
                return await SubscriberMails.RenderAsync(message, _links, RenderAsync<SubscriberConfirmMail>, RenderAsync<SubscriberConfirmMailText>, RenderAsync<SubscriberNoticeMail>, RenderAsync<SubscriberNoticeMailText>);
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

    /// <summary>The escalation inbox.</summary>
    public string Inbox => new Uri(Base, "inbox").AbsoluteUri;

    /// <summary>The user's settings (where the address is changed).</summary>
    public string Settings => new Uri(Base, "settings").AbsoluteUri;

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
