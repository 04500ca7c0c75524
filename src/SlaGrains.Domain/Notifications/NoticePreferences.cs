using System.Collections.Immutable;
using NodaTime;
using SlaGrains.Domain.Calendars;

namespace SlaGrains.Domain.Notifications;

/// <summary>What a person can be told about.</summary>
public enum NoticeKind
{
    /// <summary>A ticket's clock reached a warning threshold.</summary>
    Warning,

    /// <summary>A ticket's clock ran out.</summary>
    Breach,

    /// <summary>An escalation rule matched a warning or breach.</summary>
    Escalation,

    /// <summary>A monitor's error budget burns too fast.</summary>
    BurnRateAlert,

    /// <summary>An incident opened, was updated or resolved.</summary>
    Incident,

    /// <summary>Maintenance was announced, started or ended.</summary>
    Maintenance,

    /// <summary>A month closed with a credit owed.</summary>
    CreditNotice,

    /// <summary>The monthly SLA statement.</summary>
    MonthlyReport,
}

/// <summary>Where a notice goes besides the in-app inbox (which always has it).</summary>
public enum NoticeChannel
{
    /// <summary>The person's email address.</summary>
    Email,

    /// <summary>The person's Slack incoming webhook.</summary>
    Slack,

    /// <summary>The person's Teams workflow webhook.</summary>
    Teams,
}

/// <summary>How a kind of notice is sent on a channel.</summary>
public enum NoticeDelivery
{
    /// <summary>Not sent on this channel.</summary>
    Off,

    /// <summary>Sent as it happens (held until quiet hours end, unless urgent and allowed through).</summary>
    Immediately,

    /// <summary>Collected and sent at the top of the next hour in the person's zone.</summary>
    HourlyDigest,

    /// <summary>Collected and sent once a day, when the person's working day starts (08:00 without working hours).</summary>
    DailyDigest,
}

/// <summary>Whose defaults a person starts with.</summary>
public enum NoticeAudience
{
    /// <summary>An administrator: runs the system, gets what managers get.</summary>
    Admin,

    /// <summary>A service manager: breaches, escalations, burn-rate alerts and incidents at once.</summary>
    Manager,

    /// <summary>A technician: the warnings and breaches of the tickets they work, at once.</summary>
    Technician,

    /// <summary>A customer's contact: incidents and maintenance at once, credit notices and statements by mail, and escalations that name them.</summary>
    Customer,
}

/// <summary>
/// One person's notification settings: for each kind of notice and channel how it is sent, and quiet hours that
/// follow the person's own working calendar. Outside working hours nothing is sent at once unless the notice is
/// urgent (a P1 breach, a major outage) and <see cref="UrgentBreaksQuietHours"/> is on; it waits until work starts.
/// Immutable; a kind and channel not listed is <see cref="NoticeDelivery.Off"/>.
/// </summary>
/// <param name="Deliveries">How each (kind, channel) is sent.</param>
/// <param name="WorkingHours">The person's working calendar (their zone, weekly hours, holidays); null for none.</param>
/// <param name="QuietOutsideWorkingHours">True to hold notices outside <paramref name="WorkingHours"/>.</param>
/// <param name="UrgentBreaksQuietHours">True to let urgent notices through quiet hours.</param>
public sealed record NoticePreferences(
    ImmutableDictionary<(NoticeKind Kind, NoticeChannel Channel), NoticeDelivery> Deliveries,
    BusinessCalendar? WorkingHours,
    bool QuietOutsideWorkingHours,
    bool UrgentBreaksQuietHours)
{
    /// <summary>The hour a daily digest goes out on a day without working hours, in the person's zone.</summary>
    public static readonly LocalTime DailyDigestHour = new(8, 0);

    /// <summary>How <paramref name="kind"/> is sent on <paramref name="channel"/>.</summary>
    public NoticeDelivery For(NoticeKind kind, NoticeChannel channel)
        => Deliveries.GetValueOrDefault((kind, channel), NoticeDelivery.Off);

    /// <summary>These preferences with <paramref name="kind"/> on <paramref name="channel"/> sent as <paramref name="delivery"/>.</summary>
    public NoticePreferences With(NoticeKind kind, NoticeChannel channel, NoticeDelivery delivery)
        => this with { Deliveries = delivery == NoticeDelivery.Off ? Deliveries.Remove((kind, channel)) : Deliveries.SetItem((kind, channel), delivery) };

    /// <summary>
    /// The defaults for <paramref name="audience"/>, by email; Slack and Teams start off (they need the person's own
    /// target). Quiet hours start off: they need working hours, and an operator who sets them up decides.
    /// </summary>
    public static NoticePreferences Defaults(NoticeAudience audience)
    {
        var email = audience switch
        {
            NoticeAudience.Admin or NoticeAudience.Manager => new Dictionary<NoticeKind, NoticeDelivery>
            {
                [NoticeKind.Warning] = NoticeDelivery.HourlyDigest,
                [NoticeKind.Breach] = NoticeDelivery.Immediately,
                [NoticeKind.Escalation] = NoticeDelivery.Immediately,
                [NoticeKind.BurnRateAlert] = NoticeDelivery.Immediately,
                [NoticeKind.Incident] = NoticeDelivery.Immediately,
                [NoticeKind.Maintenance] = NoticeDelivery.DailyDigest,
                [NoticeKind.CreditNotice] = NoticeDelivery.DailyDigest,
                [NoticeKind.MonthlyReport] = NoticeDelivery.DailyDigest,
            },
            NoticeAudience.Technician => new Dictionary<NoticeKind, NoticeDelivery>
            {
                [NoticeKind.Warning] = NoticeDelivery.Immediately,
                [NoticeKind.Breach] = NoticeDelivery.Immediately,
                [NoticeKind.Escalation] = NoticeDelivery.Immediately,
                [NoticeKind.Incident] = NoticeDelivery.HourlyDigest,
            },
            _ => new Dictionary<NoticeKind, NoticeDelivery>
            {
                // Escalations reach a customer's users only when a rule names them (role:customer, user:x): the
                // operator asked for it, so it goes at once; their tickets' clocks otherwise stay internal.
                [NoticeKind.Escalation] = NoticeDelivery.Immediately,
                [NoticeKind.Incident] = NoticeDelivery.Immediately,
                [NoticeKind.Maintenance] = NoticeDelivery.Immediately,
                [NoticeKind.CreditNotice] = NoticeDelivery.Immediately,
                [NoticeKind.MonthlyReport] = NoticeDelivery.Immediately,
            },
        };
        return new(
            email.ToImmutableDictionary(p => (p.Key, NoticeChannel.Email), p => p.Value),
            WorkingHours: null,
            QuietOutsideWorkingHours: false,
            UrgentBreaksQuietHours: true);
    }

    /// <summary>
    /// Checks a change of settings: quiet hours need working hours that open at some time of the week (else every
    /// notice would wait for ever).
    /// </summary>
    public Rejection? Check()
    {
        if (QuietOutsideWorkingHours && (WorkingHours is null || (!WorkingHours.IsAlwaysOpen && WorkingHours.Schedule.IsClosedAllWeek)))
        {
            return new Rejection("quiet-hours-without-working-hours", "Quiet hours follow your working hours: set the days and hours you work first.");
        }

        return null;
    }
}
