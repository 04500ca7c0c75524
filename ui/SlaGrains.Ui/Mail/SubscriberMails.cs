using System.Collections.Concurrent;
using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.Subscribers;

namespace SlaGrains.Ui.Mail;

/// <summary>The subscriber templates' rendering (see <see cref="SubscriberTemplates"/>): every one with its unsubscribe URL.</summary>
/// <remarks>
/// One notice goes to thousands of subscribers whose mails differ only in the unsubscribe token: the notice is rendered
/// once with a placeholder token (hex digits, which neither HTML encoding nor URL escaping changes, like the token's own
/// base64url characters and '.'), and each mail is that text with its token put in. The last few notices are kept.
/// </remarks>
internal static class SubscriberMails
{
    private const int KeptNotices = 16;
    private static readonly string Placeholder = "tok" + Guid.NewGuid().ToString("N");
    private static readonly ConcurrentDictionary<string, Task<(string Html, string Text)>> Rendered = new(StringComparer.Ordinal);

    public static async Task<RenderedMessage> RenderAsync(
        OutboundMessage message,
        MailLinks links,
        Func<object, Task<(string Html, string Text)>> confirmParts,
        Func<object, Task<(string Html, string Text)>> noticeParts)
    {
        if (message.Template == SubscriberTemplates.Confirm)
        {
            var model = MessageTemplates.Deserialize<SubscriberConfirmModel>(message.Model);
            var subject = SubscriberConfirmMail.Subject(model);
            var (html, text) = await confirmParts(model);
            return new RenderedMessage(
                subject,
                html,
                text,
                new MessageCard(subject, SubscriberConfirmMail.Sentence(model), [], "Confirm", links.SubscriberConfirm(model.Slug, model.ConfirmToken)),
                links.SubscriberUnsubscribe(model.Slug, model.UnsubscribeToken));
        }

        var notice = MessageTemplates.Deserialize<SubscriberNoticeModel>(message.Model);
        var generic = notice with { UnsubscribeToken = Placeholder };
        var key = $"{links.Base.AbsoluteUri}\n{MessageTemplates.Serialize(generic)}";
        if (Rendered.Count > KeptNotices)
        {
            Rendered.Clear();
        }

        var rendering = Rendered.GetOrAdd(key, _ => noticeParts(generic));
        (string Html, string Text) parts;
        try
        {
            parts = await rendering;
        }
        catch
        {
            // A failed rendering is not kept: the next attempt renders again.
            Rendered.TryRemove(new KeyValuePair<string, Task<(string Html, string Text)>>(key, rendering));
            throw;
        }

        var title = SubscriberNoticeMail.Subject(notice);
        return new RenderedMessage(
            title,
            parts.Html.Replace(Placeholder, notice.UnsubscribeToken, StringComparison.Ordinal),
            parts.Text.Replace(Placeholder, notice.UnsubscribeToken, StringComparison.Ordinal),
            new MessageCard(title, notice.Message, [new MessageFact("Components", SubscriberNoticeMail.ComponentsText(notice))], "Open the status page", links.StatusPage(notice.Slug)),
            links.SubscriberUnsubscribe(notice.Slug, notice.UnsubscribeToken));
    }
}
