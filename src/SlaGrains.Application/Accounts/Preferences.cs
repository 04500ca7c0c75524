using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Application.Accounts;

/// <summary>
/// A person's own settings, for the API and the settings page alike: the time zone they read times in and the address
/// they are emailed at. Each person
/// changes only their own; API keys have none (they are machines, and the API writes instants in UTC).
/// </summary>
[ApplicationService]
public sealed class Preferences(IGrainFactory grains)
{
    private IAccountsGrain Accounts => grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key);

    /// <summary>The caller's settings; 404 when the caller is not a stored person (an API key).</summary>
    public async Task<Result<PreferencesResponse>> Get(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return await Accounts.FindUser(caller.Name) is { } user
            ? new PreferencesResponse(user.TimeZone, user.Email)
            : Failure.NotFound($"User '{caller.Name}'");
    }

    /// <summary>
    /// Sets the caller's time zone: an IANA id (at most <see cref="Bounds.NameLength"/> characters, known to the time
    /// zone database) or null to follow the browser's zone. Anything else — an unknown id, an empty or blank text — is a
    /// 400 naming <c>timeZone</c> and changes nothing.
    /// </summary>
    public async Task<Result<PreferencesResponse>> Set(Caller caller, PreferencesInput input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        var zone = input.TimeZone?.Trim();
        var errors = new InputErrors();
        if (zone is not null && (zone.Length is 0 or > Bounds.NameLength || DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is null))
        {
            errors.Add("timeZone", $"'{Bounds.Echo(zone)}' is not a time zone: use an IANA id such as Europe/Berlin or America/New_York, or null to follow the browser.");
        }

        // The address: omitted or null keeps it, empty removes it, anything else must be an address.
        var email = input.Email is { Length: > 0 } given ? Channels.EmailAddresses.Check(errors, "email", given) : null;
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        if (await Accounts.FindUser(caller.Name) is not { } user || !await Accounts.SetTimeZone(user.UserName, zone))
        {
            return Failure.NotFound($"User '{caller.Name}'");
        }

        if (input.Email is not null)
        {
            await Accounts.SetEmail(user.UserName, email);
        }

        return new PreferencesResponse(zone, input.Email is null ? user.Email : email);
    }

    /// <summary>The caller's chosen time zone, or null (no choice, not a person, or a zone the database no longer knows).</summary>
    public async Task<DateTimeZone?> ChosenZone(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var id = (await Accounts.FindUser(caller.Name))?.TimeZone;
        return id is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(id);
    }
}

/// <summary>A person's settings as read and written.</summary>
/// <param name="TimeZone">The IANA zone times are shown in; null follows the browser's zone.</param>
/// <param name="Email">The address breaches and escalations are emailed to; null for none.</param>
public sealed record PreferencesResponse(string? TimeZone, string? Email = null);

/// <summary>
/// New settings: <c>timeZone</c> an IANA id, or null to follow the browser's zone; <c>email</c> a bare address, an empty
/// text to remove it, or omitted (null) to keep it as it is.
/// </summary>
public sealed record PreferencesInput(string? TimeZone, string? Email = null);
