using System.Net;
using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.Subscribers;

namespace SlaGrains.Ui.Mail;

/// <summary>The subscriber templates' rendering (see <see cref="SubscriberTemplates"/>): every one with its unsubscribe URL.</summary>
internal static class SubscriberMails
{
    public static async Task<RenderedMessage> RenderAsync(
        OutboundMessage message,
        MailLinks links,
        Func<Dictionary<string, object?>, Task<string>> confirmHtml,
        Func<Dictionary<string, object?>, Task<string>> confirmText,
        Func<Dictionary<string, object?>, Task<string>> noticeHtml,
        Func<Dictionary<string, object?>, Task<string>> noticeText)
    {
        if (message.Template == SubscriberTemplates.Confirm)
        {
            var model = MessageTemplates.Deserialize<SubscriberConfirmModel>(message.Model);
            var parameters = new Dictionary<string, object?> { [nameof(SubscriberConfirmMail.Model)] = model, [nameof(SubscriberConfirmMail.Links)] = links };
            var subject = SubscriberConfirmMail.Subject(model);
            return new RenderedMessage(
                subject,
                await confirmHtml(parameters),
                Text(await confirmText(parameters)),
                new MessageCard(subject, SubscriberConfirmMail.Sentence(model), [], "Confirm", links.SubscriberConfirm(model.Slug, model.ConfirmToken)),
                links.SubscriberUnsubscribe(model.Slug, model.UnsubscribeToken));
        }

        var notice = MessageTemplates.Deserialize<SubscriberNoticeModel>(message.Model);
        var values = new Dictionary<string, object?> { [nameof(SubscriberNoticeMail.Model)] = notice, [nameof(SubscriberNoticeMail.Links)] = links };
        var title = SubscriberNoticeMail.Subject(notice);
        return new RenderedMessage(
            title,
            await noticeHtml(values),
            Text(await noticeText(values)),
            new MessageCard(title, notice.Message, [new MessageFact("Components", SubscriberNoticeMail.ComponentsText(notice))], "Open the status page", links.StatusPage(notice.Slug)),
            links.SubscriberUnsubscribe(notice.Slug, notice.UnsubscribeToken));
    }

    private static string Text(string rendered) => WebUtility.HtmlDecode(rendered).Trim() + Environment.NewLine;
}
