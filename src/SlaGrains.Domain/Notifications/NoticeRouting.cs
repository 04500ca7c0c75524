using System.Collections.Immutable;
using NodaTime;

namespace SlaGrains.Domain.Notifications;

/// <summary>One channel's send of a notice to one person.</summary>
/// <param name="Channel">Where it goes.</param>
/// <param name="SendAt">When it goes: now, when quiet hours end, or when its digest is due.</param>
/// <param name="InDigest">True when it goes as one line of a digest sent at <paramref name="SendAt"/>.</param>
/// <param name="HeldForQuietHours">True when quiet hours moved it later.</param>
public sealed record PlannedNotice(NoticeChannel Channel, Instant SendAt, bool InDigest, bool HeldForQuietHours);

/// <summary>
/// Decides, for one person, when and how a notice goes out on each channel: from their <see cref="NoticePreferences"/>,
/// whether the notice is urgent, the person's zone and now. Pure: no clock is read, nothing is sent.
/// </summary>
public static class NoticeRouting
{
    /// <summary>
    /// The sends of a notice of <paramref name="kind"/> at <paramref name="now"/>, one per channel that is not off, in
    /// channel order. An urgent notice (a P1 breach, a major outage) goes at once through quiet hours when the person
    /// allows it; everything else that would go out in quiet hours waits until the person's working hours start.
    /// Digests go at the top of the next hour (hourly) or when the next working day starts, 08:00 without working hours
    /// (daily), in <paramref name="zone"/> (the working calendar's zone when there is one).
    /// </summary>
    public static ImmutableArray<PlannedNotice> Plan(NoticePreferences preferences, NoticeKind kind, bool urgent, Instant now, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(preferences);
        ArgumentNullException.ThrowIfNull(zone);
        var sends = ImmutableArray.CreateBuilder<PlannedNotice>();
        foreach (var channel in Enum.GetValues<NoticeChannel>())
        {
            var delivery = preferences.For(kind, channel);
            if (delivery == NoticeDelivery.Off)
            {
                continue;
            }

            // An urgent notice is never left in a digest: it goes as it happens.
            var inDigest = (delivery is NoticeDelivery.HourlyDigest or NoticeDelivery.DailyDigest) && !urgent;
            var due = !inDigest ? now
                : delivery == NoticeDelivery.HourlyDigest ? NextHour(now, preferences.WorkingHours?.Zone ?? zone)
                : NextWorkingDayStart(preferences, now, zone);
            var allowedThrough = urgent && preferences.UrgentBreaksQuietHours;
            var sendAt = allowedThrough ? due : QuietHoursEnd(preferences, due);
            sends.Add(new PlannedNotice(channel, sendAt, inDigest, sendAt != due));
        }

        return sends.ToImmutable();
    }

    /// <summary>True when <paramref name="at"/> falls in the person's quiet hours.</summary>
    public static bool IsQuiet(NoticePreferences preferences, Instant at)
    {
        ArgumentNullException.ThrowIfNull(preferences);
        return preferences is { QuietOutsideWorkingHours: true, WorkingHours: { } hours } && !hours.IsOpen(at);
    }

    /// <summary><paramref name="at"/>, or when the quiet hours it falls in end (at itself when they never do).</summary>
    private static Instant QuietHoursEnd(NoticePreferences preferences, Instant at)
        => IsQuiet(preferences, at) ? preferences.WorkingHours!.NextOpen(at) ?? at : at;

    /// <summary>The top of the next local hour strictly after <paramref name="now"/>.</summary>
    private static Instant NextHour(Instant now, DateTimeZone zone)
    {
        var local = now.InZone(zone).LocalDateTime;
        var next = zone.AtLeniently(local.Date.At(new LocalTime(local.Hour, 0)).PlusHours(1)).ToInstant();
        return next > now ? next : now + Duration.FromHours(1);
    }

    /// <summary>
    /// When the next working day starts strictly after <paramref name="now"/>: the first opening of a local day (not the
    /// end of a lunch break); without working hours (or when they never open again within two years), the next 08:00 local.
    /// </summary>
    private static Instant NextWorkingDayStart(NoticePreferences preferences, Instant now, DateTimeZone zone)
    {
        if (preferences.WorkingHours is { IsAlwaysOpen: false } hours)
        {
            var from = now + Duration.Epsilon;
            for (var day = 0; day < 731 && hours.NextOpen(from) is { } opens; day++)
            {
                var date = opens.InZone(hours.Zone).Date;
                if (hours.NextOpen(hours.Zone.AtStartOfDay(date).ToInstant()) == opens)
                {
                    return opens;
                }

                from = hours.Zone.AtStartOfDay(date.PlusDays(1)).ToInstant();
            }
        }

        var digestZone = preferences.WorkingHours?.Zone ?? zone;
        var local = now.InZone(digestZone).LocalDateTime;
        var date8 = local.TimeOfDay < NoticePreferences.DailyDigestHour ? local.Date : local.Date.PlusDays(1);
        return digestZone.AtLeniently(date8.At(NoticePreferences.DailyDigestHour)).ToInstant();
    }
}
