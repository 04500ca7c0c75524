using System.Collections.Immutable;
using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Application.Accounts;

/// <summary>
/// Users and API keys, created and removed by admins, for the API and the admin page alike (one path each: the same
/// rules, the same conflicts). Only hashes are stored: a password is hashed by the host's hasher, a key's secret is
/// returned once when it is created.
/// </summary>
[ApplicationService]
public sealed class AccountCommands(IGrainFactory grains, ISlaNow clock, CustomerDirectory customers, SecurityStamps stamps)
{
    /// <summary>Longest password (a passphrase fits; the hasher's work stays bounded).</summary>
    public const int MaxPasswordLength = 1_000;

    /// <summary>Longest user name (printable, no spaces: an id or an e-mail address fits).</summary>
    public const int MaxUserNameLength = Bounds.IdLength;

    private IAccountsGrain Accounts => grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key);

    /// <summary>
    /// Adds a user (<see cref="NewUserRules"/>; a customer user's customer must exist). A name that is taken (names
    /// compare case-insensitively) is a conflict and changes nothing.
    /// </summary>
    public async Task<Result<UserResponse>> AddUser(Caller caller, NewUserRequest input, PasswordHashing hashPassword)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(hashPassword);
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins manage users.");
        }

        var errors = new InputErrors();
        foreach (var (field, message) in NewUserRules.Check(input.UserName, input.Password, input.Role, input.CustomerId))
        {
            errors.Add(field, message);
        }

        if (input.UserName is not null && !IsUserName(input.UserName.Trim()))
        {
            errors.Add("userName", $"A user name has at most {MaxUserNameLength} characters, no spaces and no control characters.");
        }

        CheckPassword(errors, input.Password);
        CheckMembership(errors, input.Role, input.CustomerId, input.Team);
        var email = string.IsNullOrEmpty(input.Email) ? null : Channels.EmailAddresses.Check(errors, "email", input.Email);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var customerId = Bounds.Blank(input.CustomerId);
        if (customerId is not null && !await customers.ExistsAsync(customerId))
        {
            return Failure.Invalid("customerId", $"Customer '{customerId}' does not exist.");
        }

        var user = new UserAccount(input.UserName!.Trim(), string.Empty, input.Role, customerId, Bounds.Blank(input.Team), Email: email);
        user = user with { PasswordHash = hashPassword(user, input.Password!) };
        return await Accounts.AddUser(user)
            ? new UserResponse(user.UserName, user.Role, user.CustomerId, user.Team, LockedOut: false, user.Email)
            : Failure.Conflict($"User '{user.UserName}' already exists.");
    }

    /// <summary>Removes a user; an admin cannot remove their own account (someone must be left to manage users).</summary>
    public async Task<Result<UserResponse>> RemoveUser(Caller caller, string userName)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins manage users.");
        }

        if (string.Equals(userName, caller.Name, StringComparison.OrdinalIgnoreCase))
        {
            return Failure.Conflict("An admin cannot remove their own account.");
        }

        if (!MayNameStoredUser(userName) || await Accounts.FindUser(userName) is not { } user || !await Accounts.RemoveUser(userName))
        {
            return Failure.NotFound($"User '{userName}'");
        }

        // The user's cookies are refused from now on: at once here, within the stamp cache's age on other servers.
        stamps.Forget(userName);
        return Response(user);
    }

    /// <summary>
    /// Changes a user's role, customer and team (<see cref="NewUserRules"/>' rules for them). Any change ends all of
    /// the user's sessions: they sign in again with what they may now do. An admin cannot change their own role (so
    /// someone is always left to manage users).
    /// </summary>
    public async Task<Result<UserResponse>> ChangeUser(Caller caller, string userName, ChangeUserRequest input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins manage users.");
        }

        if (!MayNameStoredUser(userName) || await Accounts.FindUser(userName) is not { } user)
        {
            return Failure.NotFound($"User '{userName}'");
        }

        var errors = new InputErrors();
        CheckMembership(errors, input.Role, input.CustomerId, input.Team);
        if (Enum.IsDefined(input.Role))
        {
            foreach (var (field, message) in NewUserRules.CheckMembership(input.Role, input.CustomerId))
            {
                errors.Add(field, message);
            }
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        if (string.Equals(user.UserName, caller.Name, StringComparison.OrdinalIgnoreCase) && input.Role != user.Role)
        {
            return Failure.Conflict("An admin cannot change their own role.");
        }

        var customerId = Bounds.Blank(input.CustomerId);
        if (customerId is not null && !await customers.ExistsAsync(customerId))
        {
            return Failure.Invalid("customerId", $"Customer '{customerId}' does not exist.");
        }

        if (!await Accounts.ChangeUser(user.UserName, input.Role, customerId, Bounds.Blank(input.Team)))
        {
            return Failure.NotFound($"User '{userName}'");
        }

        stamps.Forget(user.UserName);
        return Response((await Accounts.FindUser(user.UserName))!);
    }

    /// <summary>
    /// Sets a user's email address (admins): a bare address (see <see cref="Channels.EmailAddresses"/>), or null or empty
    /// to remove it. A bad address is a 400 naming <c>email</c> and changes nothing; sessions go on.
    /// </summary>
    public async Task<Result<UserResponse>> SetEmail(Caller caller, string userName, UserEmailRequest input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins manage users.");
        }

        var errors = new InputErrors();
        var email = string.IsNullOrEmpty(input.Email) ? null : Channels.EmailAddresses.Check(errors, "email", input.Email);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        if (!MayNameStoredUser(userName) || await Accounts.FindUser(userName) is not { } user || !await Accounts.SetEmail(user.UserName, email))
        {
            return Failure.NotFound($"User '{userName}'");
        }

        return Response((await Accounts.FindUser(user.UserName))!);
    }

    /// <summary>Sets a user's password (admins); it ends all of the user's sessions.</summary>
    public async Task<Result<UserResponse>> SetPassword(Caller caller, string userName, NewPasswordRequest input, PasswordHashing hashPassword)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(hashPassword);
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins manage users.");
        }

        var errors = new InputErrors();
        if ((input.Password?.Length ?? 0) < NewUserRules.MinimumPasswordLength)
        {
            errors.Add("password", $"A password has at least {NewUserRules.MinimumPasswordLength} characters.");
        }

        CheckPassword(errors, input.Password);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        if (!MayNameStoredUser(userName) || await Accounts.FindUser(userName) is not { } user
            || !await Accounts.SetPassword(user.UserName, hashPassword(user, input.Password!)))
        {
            return Failure.NotFound($"User '{userName}'");
        }

        stamps.Forget(user.UserName);
        return Response(user);
    }

    /// <summary>Clears a user's failed sign-ins and the delay they caused (admins).</summary>
    public async Task<Result<UserResponse>> Unlock(Caller caller, string userName)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins manage users.");
        }

        if (!MayNameStoredUser(userName) || !await Accounts.Unlock(userName) || await Accounts.FindUser(userName) is not { } user)
        {
            return Failure.NotFound($"User '{userName}'");
        }

        return Response(user);
    }

    /// <summary>The most customers a key may be restricted to.</summary>
    public const int MaxKeyCustomers = 100;

    /// <summary>The longest overlap of a rotation: 30 days.</summary>
    public const int MaxOverlapHours = 720;

    /// <summary>The overlap of a rotation that names none.</summary>
    public const int DefaultOverlapHours = 24;

    /// <summary>
    /// Creates an API key (see <see cref="NewApiKeyRequest"/> for what each scope may be bound or restricted to). The
    /// full key is in the result this once; only its hash is stored.
    /// </summary>
    public async Task<Result<CreatedApiKeyResponse>> CreateApiKey(Caller caller, NewApiKeyRequest input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins manage API keys.");
        }

        var errors = new InputErrors();
        var name = Bounds.Blank(input.Name);
        if (name is null)
        {
            errors.Add("name", "A key needs a name saying what uses it.");
        }
        else
        {
            CheckName(errors, "name", name);
        }

        var bound = input.Scope is ApiKeyScope.Customer or ApiKeyScope.Ingestion;
        var restrictable = input.Scope is ApiKeyScope.Read or ApiKeyScope.Write or ApiKeyScope.Integration;
        if (!Enum.IsDefined(input.Scope))
        {
            errors.Add("scope", "A key's scope is read, write, admin, integration, ingestion, customer or metrics.");
        }
        else if (bound && string.IsNullOrWhiteSpace(input.CustomerId))
        {
            errors.Add("customerId", input.Scope == ApiKeyScope.Ingestion
                ? "An ingestion key is bound to one customer: it posts check results for that customer's monitors only."
                : "A customer-scoped key is bound to one customer.");
        }
        else if (!bound && input.CustomerId is not null)
        {
            errors.Add("customerId", $"A {Scope(input.Scope)} key is not bound to one customer: restrict it with customers instead.");
        }

        if (input.CustomerId is not null && bound && !string.IsNullOrWhiteSpace(input.CustomerId) && !Bounds.IsId(input.CustomerId))
        {
            errors.Add("customerId", Bounds.IdRule("A customer id"));
        }

        var restrictedTo = CheckCustomers(errors, input.Customers, restrictable, input.Scope);
        var expiresAt = CheckExpiry(errors, "expiresAt", input.ExpiresAt);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        IEnumerable<string> named = bound ? [input.CustomerId!] : restrictedTo ?? [];
        foreach (var customer in named)
        {
            if (!await customers.ExistsAsync(customer))
            {
                return Failure.Invalid(bound ? "customerId" : "customers", $"Customer '{customer}' does not exist.");
            }
        }

        var (record, key) = ApiKeys.Create(name!, input.Scope, bound ? input.CustomerId : null, clock.Now);
        record = record with { Customers = restrictedTo, ExpiresAt = expiresAt };
        return await Accounts.AddApiKey(record)
            ? new CreatedApiKeyResponse(ApiKeyResponse.From(record), key)
            : Failure.Conflict($"API key '{record.KeyId}' already exists.");
    }

    /// <summary>
    /// Rotates an API key: a new key with the same name, scope and customers, shown this once; the old key works on
    /// for the overlap (0–<see cref="MaxOverlapHours"/> hours, default <see cref="DefaultOverlapHours"/>), then
    /// expires. A revoked or expired key cannot be rotated (not found / conflict).
    /// </summary>
    public async Task<Result<CreatedApiKeyResponse>> RotateApiKey(Caller caller, string keyId, RotateApiKeyRequest input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins manage API keys.");
        }

        var errors = new InputErrors();
        var overlap = input.OverlapHours ?? DefaultOverlapHours;
        if (overlap is < 0 or > MaxOverlapHours)
        {
            errors.Add("overlapHours", $"The overlap is 0 to {MaxOverlapHours} hours.");
        }

        var expiresAt = CheckExpiry(errors, "expiresAt", input.ExpiresAt);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var now = clock.Now;
        if (!Bounds.IsId(keyId) || await Accounts.FindApiKey(keyId) is not { } old || old.RevokedAt is not null)
        {
            return Failure.NotFound($"API key '{keyId}'");
        }

        if (old.IsRefusedAt(now))
        {
            return Failure.Conflict($"API key '{keyId}' has expired: create a new key instead.");
        }

        var (record, key) = ApiKeys.Like(old, now, expiresAt);
        return await Accounts.RotateApiKey(keyId, record, now + Duration.FromHours(overlap))
            ? new CreatedApiKeyResponse(ApiKeyResponse.From(record), key)
            : Failure.NotFound($"API key '{keyId}'");
    }

    /// <summary>Revokes an API key: from now on it authenticates nothing. Revoking it again keeps the first revocation.</summary>
    public async Task<Result<ApiKeyResponse>> RevokeApiKey(Caller caller, string keyId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins manage API keys.");
        }

        if (!Bounds.IsId(keyId) || !await Accounts.RevokeApiKey(keyId, clock.Now) || await Accounts.FindApiKey(keyId) is not { } revoked)
        {
            return Failure.NotFound($"API key '{keyId}'");
        }

        return ApiKeyResponse.From(revoked);
    }

    /// <summary>Whether <paramref name="userName"/> may be a user name: 1–64 printable characters without spaces.</summary>
    public static bool IsUserName([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? userName)
        => userName is { Length: > 0 and <= MaxUserNameLength } && Bounds.IsPrintable(userName) && !userName.Any(char.IsWhiteSpace);

    /// <summary>
    /// Whether <paramref name="userName"/> may name an existing user: new names are held to <see cref="IsUserName"/>,
    /// but accounts made before that bound (up to 200 printable characters) must still be found, changed and removed.
    /// </summary>
    public static bool MayNameStoredUser([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? userName)
        => userName is { Length: > 0 and <= Bounds.NameLength } && Bounds.IsPrintable(userName) && userName.Trim().Length == userName.Length;

    private UserResponse Response(UserAccount user) => new(user.UserName, user.Role, user.CustomerId, user.Team, user.LockedUntil > clock.Now, user.Email);

    private static void CheckPassword(InputErrors errors, string? password)
    {
        if (password is { Length: > MaxPasswordLength })
        {
            errors.Add("password", $"A password has at most {MaxPasswordLength:N0} characters.");
        }
        else if (password is not null && !Bounds.IsPrintable(password))
        {
            // No one types a NUL or CR LF at a sign-in form: such a password could never be used there.
            errors.Add("password", "A password has no control characters.");
        }
    }

    /// <summary>A role of the enum (a number outside it is refused), a customer id and a team id shaped as ids.</summary>
    private static void CheckMembership(InputErrors errors, UserRole role, string? customerId, string? team)
    {
        if (!Enum.IsDefined(role))
        {
            errors.Add("role", "A role is admin, manager, technician or customer.");
        }

        if (!string.IsNullOrWhiteSpace(customerId) && !Bounds.IsId(customerId.Trim()))
        {
            errors.Add("customerId", Bounds.IdRule("A customer id"));
        }

        if (!string.IsNullOrWhiteSpace(team) && !Bounds.IsId(team.Trim()))
        {
            errors.Add("team", Bounds.IdRule("A team"));
        }
    }

    private static string Scope(ApiKeyScope scope) => scope.ToString().ToLowerInvariant();

    /// <summary>The customers a read, write or integration key is restricted to (null: none given); other scopes take none.</summary>
    private static ImmutableArray<string>? CheckCustomers(InputErrors errors, List<string?>? listed, bool restrictable, ApiKeyScope scope)
    {
        if (listed is null)
        {
            return null;
        }

        if (!restrictable)
        {
            errors.Add("customers", $"A {Scope(scope)} key cannot be restricted to customers (only read, write and integration keys can).");
            return null;
        }

        if (listed.Count is 0 or > MaxKeyCustomers)
        {
            errors.Add("customers", $"A restricted key lists 1 to {MaxKeyCustomers} customers (omit customers for every customer).");
            return null;
        }

        for (var i = 0; i < listed.Count; i++)
        {
            if (!Bounds.IsId(listed[i]))
            {
                errors.Add($"customers[{i}]", Bounds.IdRule("A customer id"));
                return null;
            }
        }

        return [.. listed.Select(c => c!).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>An optional expiry: an ISO instant after now (and before 2100).</summary>
    private Instant? CheckExpiry(InputErrors errors, string field, string? text)
    {
        if (text is null)
        {
            return null;
        }

        var parsed = NodaTime.Text.InstantPattern.ExtendedIso.Parse(text);
        if (!parsed.Success || !Bounds.IsPrintable(text))
        {
            errors.Add(field, "Not an ISO instant such as 2027-06-30T00:00:00Z.");
            return null;
        }

        if (!Bounds.CheckInstant(errors, field, parsed.Value))
        {
            return null;
        }

        if (parsed.Value <= clock.Now)
        {
            errors.Add(field, "An expiry is in the future.");
            return null;
        }

        return parsed.Value;
    }

    private static void CheckName(InputErrors errors, string field, string? value)
    {
        if (value is not null && (value.Length > Bounds.NameLength || !Bounds.IsPrintable(value)))
        {
            errors.Add(field, $"At most {Bounds.NameLength} characters and no control characters.");
        }
    }
}
