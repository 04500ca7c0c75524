using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Network;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Domain.Notifications;

namespace SlaGrains.Application.Accounts;

/// <summary>
/// Who gets what: a person's notification preferences (for each kind of notice and channel: off, immediately, hourly
/// or daily digest), their working hours and quiet hours, and their own Slack and Teams webhooks, for the API and the
/// settings page alike. Each person changes their own; admins may read and change anyone's. Until a person saves
/// any, their role's defaults apply (<see cref="NoticePreferences.Defaults"/>).
/// </summary>
[ApplicationService]
public sealed class NotificationPreferences(IGrainFactory grains, OutboundCheck outbound)
{
    /// <summary>Longest Slack or Teams URL.</summary>
    public const int MaxUrlLength = 2_000;

    private IAccountsGrain Accounts => grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key);

    /// <summary>The kinds by their API name (camelCase), in order.</summary>
    public static IReadOnlyList<string> KindNames { get; } = [.. Enum.GetValues<NoticeKind>().Select(Name)];

    /// <summary>The channels by their API name, in order.</summary>
    public static IReadOnlyList<string> ChannelNames { get; } = [.. Enum.GetValues<NoticeChannel>().Select(Name)];

    /// <summary>The deliveries by their API name, in order.</summary>
    public static IReadOnlyList<string> DeliveryNames { get; } = [.. Enum.GetValues<NoticeDelivery>().Select(Name)];

    /// <summary>The caller's preferences; 404 when the caller is not a stored person (an API key).</summary>
    public Task<Result<NotificationPreferencesResponse>> GetMine(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return Read(caller.Name);
    }

    /// <summary>Sets the caller's preferences (see <see cref="Set"/>).</summary>
    public Task<Result<NotificationPreferencesResponse>> SetMine(Caller caller, NotificationPreferencesInput input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return Write(caller.Name, input);
    }

    /// <summary>A user's preferences (admins, or the user themself).</summary>
    public async Task<Result<NotificationPreferencesResponse>> Get(Caller caller, string userName)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return May(caller, userName) is { } refused ? refused : await Read(userName);
    }

    /// <summary>
    /// Replaces a user's preferences (admins, or the user themself). <c>deliveries</c> is the whole matrix (a kind or
    /// channel left out is off; omitted altogether keeps the matrix as it is); <c>workingHours</c> a calendar whose zone
    /// defaults to the user's own time zone (UTC without one), null for none; quiet hours need working hours that open
    /// some time; Slack and Teams URLs follow the outbound address rules. Bad input is a 400 naming the field
    /// (e.g. <c>deliveries[breach].email</c>) and changes nothing.
    /// </summary>
    public async Task<Result<NotificationPreferencesResponse>> Set(Caller caller, string userName, NotificationPreferencesInput input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return May(caller, userName) is { } refused ? refused : await Write(userName, input);
    }

    private static Failure? May(Caller caller, string userName)
        => !AccountCommands.MayNameStoredUser(userName) ? Failure.NotFound($"User '{userName}'")
            : caller.IsAdmin || (!caller.IngestionOnly && UserNames.Key(userName) == UserNames.Key(caller.Name)) ? null
            : Failure.Forbidden("Only admins manage other people's notification preferences.");

    private async Task<Result<NotificationPreferencesResponse>> Read(string userName)
        => AccountCommands.MayNameStoredUser(userName) && await Accounts.FindUser(userName) is { } user
            ? Response(user)
            : Failure.NotFound($"User '{userName}'");

    private async Task<Result<NotificationPreferencesResponse>> Write(string userName, NotificationPreferencesInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!AccountCommands.MayNameStoredUser(userName) || await Accounts.FindUser(userName) is not { } user)
        {
            return Failure.NotFound($"User '{userName}'");
        }

        var errors = new InputErrors();
        var current = NoticeSettings.Of(user);
        var matrix = input.Deliveries is null ? current.ToPreferences().Deliveries : Deliveries(input.Deliveries, errors);
        var hours = input.WorkingHours is { } calendar
            ? (calendar with { TimeZone = calendar.TimeZone ?? user.TimeZone ?? "UTC" }).ToCalendar(errors, "workingHours")
            : null;
        var slack = await Url(input.SlackUrl, "slackUrl", "Slack", errors);
        var teams = await Url(input.TeamsUrl, "teamsUrl", "Teams", errors);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var preferences = new NoticePreferences(matrix!, hours, input.QuietOutsideWorkingHours ?? false, input.UrgentBreaksQuietHours ?? true);
        if (preferences.Check() is { } rejection)
        {
            return Failure.Invalid("quietOutsideWorkingHours", rejection.Message);
        }

        if (!await Accounts.SetNotices(user.UserName, NoticeSettings.From(preferences, slack, teams)))
        {
            return Failure.NotFound($"User '{userName}'");
        }

        return Response((await Accounts.FindUser(user.UserName))!);
    }

    private static System.Collections.Immutable.ImmutableDictionary<(NoticeKind, NoticeChannel), NoticeDelivery>? Deliveries(Dictionary<string, Dictionary<string, string?>?> given, InputErrors errors)
    {
        var matrix = System.Collections.Immutable.ImmutableDictionary.CreateBuilder<(NoticeKind, NoticeChannel), NoticeDelivery>();
        if (given.Count > KindNames.Count)
        {
            errors.Add("deliveries", $"At most {KindNames.Count} kinds: {string.Join(", ", KindNames)}.");
            return null;
        }

        foreach (var (kindName, channels) in given)
        {
            var kindPath = $"deliveries[{Clip(kindName)}]";
            if (!TryParse<NoticeKind>(kindName, out var kind))
            {
                errors.Add(kindPath, $"'{Clip(kindName)}' is not a kind of notice: {string.Join(", ", KindNames)}.");
                continue;
            }

            if (channels is null || channels.Count > ChannelNames.Count)
            {
                errors.Add(kindPath, $"A kind's channels are an object such as {{\"email\": \"immediately\", \"slack\": \"off\"}} with at most {ChannelNames.Count} channels.");
                continue;
            }

            foreach (var (channelName, deliveryName) in channels)
            {
                var path = $"{kindPath}.{Clip(channelName)}";
                if (!TryParse<NoticeChannel>(channelName, out var channel))
                {
                    errors.Add(path, $"'{Clip(channelName)}' is not a channel: {string.Join(", ", ChannelNames)}.");
                }
                else if (!TryParse<NoticeDelivery>(deliveryName, out var delivery))
                {
                    errors.Add(path, $"'{Clip(deliveryName ?? "null")}' is not a delivery: {string.Join(", ", DeliveryNames)}.");
                }
                else if (delivery != NoticeDelivery.Off)
                {
                    matrix[(kind, channel)] = delivery;
                }
            }
        }

        return matrix.ToImmutable();
    }

    /// <summary>A person's Slack or Teams URL: null or empty for none; else an absolute http(s) URL the outbound address rules allow.</summary>
    private async Task<string?> Url(string? given, string field, string channel, InputErrors errors)
    {
        var url = given?.Trim();
        if (string.IsNullOrEmpty(url))
        {
            return null;
        }

        if (url.Length > MaxUrlLength || !Bounds.IsPrintable(url) || !WebhookRules.IsUrl(url))
        {
            errors.Add(field, $"A {channel} webhook is an absolute https URL of at most {MaxUrlLength:N0} characters.");
            return null;
        }

        if (await outbound.ProblemAsync(url) is { } refused)
        {
            errors.Add(field, refused);
            return null;
        }

        return url;
    }

    private static NotificationPreferencesResponse Response(UserAccount user)
    {
        var settings = NoticeSettings.Of(user);
        var preferences = settings.ToPreferences();
        var deliveries = Enum.GetValues<NoticeKind>().ToDictionary(
            Name,
            kind => Enum.GetValues<NoticeChannel>().ToDictionary(Name, channel => Name(preferences.For(kind, channel)), StringComparer.Ordinal),
            StringComparer.Ordinal);
        return new NotificationPreferencesResponse(
            user.UserName,
            deliveries,
            settings.WorkingHours is { } hours ? CalendarInput.From(hours) : null,
            settings.QuietOutsideWorkingHours,
            settings.UrgentBreaksQuietHours,
            settings.SlackUrl,
            settings.TeamsUrl,
            user.Notices is null,
            user.Email,
            user.TimeZone);
    }

    private static bool TryParse<T>(string? name, out T value)
        where T : struct, Enum
    {
        value = default;
        return name is { Length: > 0 and <= 40 } && !name.Any(char.IsDigit) && Enum.TryParse(name, ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    private static string Name<T>(T value)
        where T : struct, Enum
        => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static string Clip(string text) => text.Length <= 20 ? text : text[..20];
}

/// <summary>A person's notification preferences as read.</summary>
/// <param name="UserName">Whose they are.</param>
/// <param name="Deliveries">For each kind (<c>warning</c>, <c>breach</c>, …) and channel (<c>email</c>, <c>slack</c>, <c>teams</c>): <c>off</c>, <c>immediately</c>, <c>hourlyDigest</c> or <c>dailyDigest</c>.</param>
/// <param name="WorkingHours">The person's working calendar; null for none.</param>
/// <param name="QuietOutsideWorkingHours">True: notices wait outside working hours.</param>
/// <param name="UrgentBreaksQuietHours">True: urgent notices (a P1 breach, a major outage) go at once even then.</param>
/// <param name="SlackUrl">The person's Slack incoming webhook; null for none (Slack is then off).</param>
/// <param name="TeamsUrl">The person's Teams workflow webhook; null for none (Teams is then off).</param>
/// <param name="IsDefault">True while the role's defaults apply (nothing saved yet).</param>
/// <param name="Email">The person's address (set with their other settings); null for none (email is then off).</param>
/// <param name="TimeZone">The person's own time zone, which working hours default to.</param>
public sealed record NotificationPreferencesResponse(
    string UserName,
    Dictionary<string, Dictionary<string, string>> Deliveries,
    CalendarInput? WorkingHours,
    bool QuietOutsideWorkingHours,
    bool UrgentBreaksQuietHours,
    string? SlackUrl,
    string? TeamsUrl,
    bool IsDefault,
    string? Email,
    string? TimeZone);

/// <summary>New notification preferences (see <see cref="NotificationPreferences.Set"/>).</summary>
public sealed record NotificationPreferencesInput(
    Dictionary<string, Dictionary<string, string?>?>? Deliveries,
    CalendarInput? WorkingHours,
    bool? QuietOutsideWorkingHours,
    bool? UrgentBreaksQuietHours,
    string? SlackUrl = null,
    string? TeamsUrl = null);
