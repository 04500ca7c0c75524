using System.Collections.Immutable;

namespace SlaGrains.Contracts.Subscribers;

/// <summary>
/// The mail templates of status page subscribers (rendered by the host's renderer, see
/// <see cref="Channels.MessageTemplates"/>). Every one carries a signed unsubscribe link, which the renderer also puts in
/// <c>List-Unsubscribe</c> with <c>List-Unsubscribe-Post: List-Unsubscribe=One-Click</c> (RFC 8058).
/// </summary>
public static class SubscriberTemplates
{
    /// <summary>The double opt-in mail; model <see cref="SubscriberConfirmModel"/>.</summary>
    public const string Confirm = "subscriber.confirm";

    /// <summary>An incident update or a maintenance announcement; model <see cref="SubscriberNoticeModel"/>.</summary>
    public const string Notice = "subscriber.notice";
}

/// <summary>The model of <see cref="SubscriberTemplates.Confirm"/>.</summary>
/// <param name="Slug">The page's slug: links go to <c>/status-pages/{slug}/…</c>.</param>
/// <param name="PageName">The page's title (the customer's name).</param>
/// <param name="ConfirmToken">The signed confirmation token (48 h).</param>
/// <param name="UnsubscribeToken">The signed unsubscribe token.</param>
/// <param name="IsChange">True when a confirmed subscriber asked to change its components.</param>
/// <param name="ComponentCount">How many components were picked (0: all).</param>
public sealed record SubscriberConfirmModel(string Slug, string PageName, string ConfirmToken, string UnsubscribeToken, bool IsChange, int ComponentCount);

/// <summary>The model of <see cref="SubscriberTemplates.Notice"/>.</summary>
/// <param name="Slug">The page's slug.</param>
/// <param name="PageName">The page's title.</param>
/// <param name="Kind">What it is about.</param>
/// <param name="Title">The incident's title or null; for maintenance null.</param>
/// <param name="Status">The update's status (<c>investigating</c>, …) or null for maintenance.</param>
/// <param name="Message">The update's text or the maintenance's description.</param>
/// <param name="Components">The names of the components concerned (empty: the whole page).</param>
/// <param name="At">When it was posted or announced.</param>
/// <param name="Start">The maintenance's start, else null.</param>
/// <param name="End">The maintenance's end, else null.</param>
/// <param name="UnsubscribeToken">The signed unsubscribe token.</param>
public sealed record SubscriberNoticeModel(
    string Slug,
    string PageName,
    SubscriberNoticeKind Kind,
    string? Title,
    string? Status,
    string Message,
    ImmutableArray<string> Components,
    Instant At,
    Instant? Start,
    Instant? End,
    string UnsubscribeToken);
