using System.Collections.Immutable;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Notifications;

namespace SlaGrains.Contracts.Accounts;

/// <summary>
/// A person's notification settings as stored with their account: the domain's <see cref="NoticePreferences"/> (how
/// each kind of notice is sent on each channel, working hours, quiet hours) and the person's own Slack and Teams
/// webhooks (checked against the outbound address rules when saved). A channel without its target is off, whatever
/// the matrix says: email needs the account's address, Slack and Teams these URLs.
/// </summary>
/// <param name="Deliveries">Each (kind, channel) that is not off.</param>
/// <param name="WorkingHours">The person's working calendar; null for none.</param>
/// <param name="QuietOutsideWorkingHours">Hold notices outside <paramref name="WorkingHours"/>.</param>
/// <param name="UrgentBreaksQuietHours">Let urgent notices (a P1 breach, a major outage) through quiet hours.</param>
/// <param name="SlackUrl">The person's Slack incoming webhook; null for none.</param>
/// <param name="TeamsUrl">The person's Teams workflow webhook; null for none.</param>
[GenerateSerializer]
[Alias("slagrains.notice-settings")]
[Immutable]
public sealed record NoticeSettings(
    [property: Id(0)] ImmutableArray<NoticeDeliverySetting> Deliveries,
    [property: Id(1)] BusinessCalendar? WorkingHours,
    [property: Id(2)] bool QuietOutsideWorkingHours,
    [property: Id(3)] bool UrgentBreaksQuietHours,
    [property: Id(4)] string? SlackUrl = null,
    [property: Id(5)] string? TeamsUrl = null)
{
    /// <summary>The domain preferences these settings hold (the matrix as given, targets aside).</summary>
    public NoticePreferences ToPreferences() => new(
        (Deliveries.IsDefault ? [] : Deliveries).Where(d => d.Delivery != NoticeDelivery.Off)
            .GroupBy(d => (d.Kind, d.Channel)).ToImmutableDictionary(g => g.Key, g => g.Last().Delivery),
        WorkingHours,
        QuietOutsideWorkingHours,
        UrgentBreaksQuietHours);

    /// <summary>Settings holding <paramref name="preferences"/> and the person's webhooks.</summary>
    public static NoticeSettings From(NoticePreferences preferences, string? slackUrl, string? teamsUrl)
    {
        ArgumentNullException.ThrowIfNull(preferences);
        return new(
            [.. preferences.Deliveries.OrderBy(d => d.Key.Kind).ThenBy(d => d.Key.Channel).Select(d => new NoticeDeliverySetting(d.Key.Kind, d.Key.Channel, d.Value))],
            preferences.WorkingHours,
            preferences.QuietOutsideWorkingHours,
            preferences.UrgentBreaksQuietHours,
            slackUrl,
            teamsUrl);
    }

    /// <summary>Whose defaults a user of <paramref name="role"/> starts with.</summary>
    public static NoticeAudience AudienceOf(UserRole role) => role switch
    {
        UserRole.Admin => NoticeAudience.Admin,
        UserRole.Manager => NoticeAudience.Manager,
        UserRole.Technician => NoticeAudience.Technician,
        _ => NoticeAudience.Customer,
    };

    /// <summary>
    /// <paramref name="user"/>'s settings: what they saved, or the defaults of their role until they save any (so a
    /// role change moves a user who never chose to the new role's defaults).
    /// </summary>
    public static NoticeSettings Of(UserAccount user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Notices ?? From(NoticePreferences.Defaults(AudienceOf(user.Role)), null, null);
    }

    /// <summary>
    /// The preferences notices to <paramref name="user"/> are planned with: their settings with every channel that has
    /// no target (no email address, no Slack or Teams URL) turned off.
    /// </summary>
    public static NoticePreferences Effective(UserAccount user)
    {
        var settings = Of(user);
        var preferences = settings.ToPreferences();
        var reachable = preferences.Deliveries.Where(d => d.Key.Channel switch
        {
            NoticeChannel.Email => !string.IsNullOrWhiteSpace(user.Email),
            NoticeChannel.Slack => !string.IsNullOrWhiteSpace(settings.SlackUrl),
            NoticeChannel.Teams => !string.IsNullOrWhiteSpace(settings.TeamsUrl),
            _ => false,
        });
        return preferences with { Deliveries = reachable.ToImmutableDictionary() };
    }
}

/// <summary>How one kind of notice is sent on one channel.</summary>
[GenerateSerializer]
[Alias("slagrains.notice-delivery-setting")]
[Immutable]
public sealed record NoticeDeliverySetting(
    [property: Id(0)] NoticeKind Kind,
    [property: Id(1)] NoticeChannel Channel,
    [property: Id(2)] NoticeDelivery Delivery);
