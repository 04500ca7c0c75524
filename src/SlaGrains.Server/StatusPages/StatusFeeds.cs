using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using SlaGrains.Application.StatusPages;

namespace SlaGrains.Server.StatusPages;

/// <summary>
/// A status page's history as Atom 1.0 (RFC 4287) and RSS 2.0, written by <c>System.ServiceModel.Syndication</c>, and its
/// maintenance as iCalendar (RFC 5545), written by Ical.Net. Entries are <see cref="PublicStatus.History"/> (newest
/// first, at most <see cref="PublicStatus.FeedLimit"/>); every link is absolute. Ids are stable: an entry keeps its id,
/// a window its UID, across rebuilds, so readers and calendars update an entry rather than adding it twice.
/// </summary>
internal static class StatusFeeds
{
    /// <summary>Atom's media type.</summary>
    public const string AtomType = "application/atom+xml; charset=utf-8";

    /// <summary>RSS's media type.</summary>
    public const string RssType = "application/rss+xml; charset=utf-8";

    /// <summary>iCalendar's media type.</summary>
    public const string CalendarType = "text/calendar; charset=utf-8";

    /// <summary>The UID domain of the calendar's events (<c>{key}@slagrains</c>): fixed, so a UID does not change with the host name a client used.</summary>
    public const string UidDomain = "slagrains";

    /// <summary>The Atom feed.</summary>
    public static byte[] Atom(PublicStatus page, Uri pageUrl, Uri selfUrl)
        => Write(xml => new Atom10FeedFormatter(Feed(page, pageUrl, selfUrl, "application/atom+xml")).WriteTo(xml));

    /// <summary>The RSS feed.</summary>
    public static byte[] Rss(PublicStatus page, Uri pageUrl, Uri selfUrl)
        => Write(xml => new Rss20FeedFormatter(Feed(page, pageUrl, selfUrl, "application/rss+xml")).WriteTo(xml));

    /// <summary>The maintenance calendar: every window the page lists (ended in the last 90 days, going on, announced) as a VEVENT in UTC.</summary>
    public static byte[] Maintenance(PublicStatus page, Uri pageUrl)
    {
        ArgumentNullException.ThrowIfNull(page);
        var calendar = new Ical.Net.Calendar { ProductId = "-//SlaGrains//Status page//EN", Method = "PUBLISH" };
        calendar.AddProperty("X-WR-CALNAME", $"{page.Name} maintenance");
        foreach (var window in page.Maintenance)
        {
            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"{window.Key}@{UidDomain}",

                // The announcement, not the time of this answer: the file stays byte-identical until something changes (ETag).
                DtStamp = Utc(window.AnnouncedAt),
                DtStart = Utc(window.Start),
                DtEnd = Utc(window.End),
                Summary = $"Maintenance: {window.Component}",
                Description = string.IsNullOrWhiteSpace(window.Description) ? $"Announced maintenance of {window.Component}." : window.Description,
                Url = Anchor(pageUrl, window.Key),
                Status = Ical.Net.EventStatus.Confirmed,
            });
        }

        return Encoding.UTF8.GetBytes(new CalendarSerializer().SerializeToString(calendar) ?? string.Empty);
    }

    private static SyndicationFeed Feed(PublicStatus page, Uri pageUrl, Uri selfUrl, string selfType)
    {
        ArgumentNullException.ThrowIfNull(page);
        var entries = page.History();

        // The newest entry's time, so an unchanged history is an unchanged feed; an empty one says when it was looked at.
        var updated = entries.IsEmpty ? page.AsOf : entries.Max(e => e.Updated);
        var feed = new SyndicationFeed($"{page.Name} status", $"Incidents and maintenance of {page.Name}, newest first.", pageUrl, pageUrl.AbsoluteUri, updated.ToDateTimeOffset())
        {
            Generator = "SlaGrains",
            Language = "en",
        };
        feed.Authors.Add(new SyndicationPerson { Name = page.Name });
        feed.Links.Add(SyndicationLink.CreateSelfLink(selfUrl, selfType));
        feed.Items = [.. entries.Select(e => new SyndicationItem
        {
            Id = Anchor(pageUrl, e.Key).AbsoluteUri,
            Title = new TextSyndicationContent(e.Title),
            Summary = new TextSyndicationContent(e.Summary),
            LastUpdatedTime = e.Updated.ToDateTimeOffset(),
            PublishDate = e.Published.ToDateTimeOffset(),
            Links = { SyndicationLink.CreateAlternateLink(Anchor(pageUrl, e.Key)) },
            Categories = { new SyndicationCategory(e.Kind) },
        })];
        return feed;
    }

    private static Uri Anchor(Uri pageUrl, string key) => new($"{pageUrl.AbsoluteUri}#{key}");

    private static CalDateTime Utc(Instant at) => new(at.ToDateTimeUtc(), "UTC");

    private static byte[] Write(Action<XmlWriter> write)
    {
        using var stream = new MemoryStream();
        using (var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            write(xml);
        }

        return stream.ToArray();
    }
}
