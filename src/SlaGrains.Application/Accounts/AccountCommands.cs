using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Application.Accounts;

/// <summary>
/// Users and API keys, created and removed by admins, for the API and the admin page alike (one path each: the same
/// rules, the same conflicts). Only hashes are stored: a password is hashed by the host's hasher, a key's secret is
/// returned once when it is created.
/// </summary>
[ApplicationService]
public sealed class AccountCommands(IGrainFactory grains, ISlaNow clock, CustomerDirectory customers)
{
    /// <summary>Longest password (a passphrase fits; the hasher's work stays bounded).</summary>
    public const int MaxPasswordLength = 1_000;

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

        if (input.UserName is { Length: > Bounds.NameLength } || (input.UserName is not null && !Bounds.IsPrintable(input.UserName)))
        {
            errors.Add("userName", $"A user name has at most {Bounds.NameLength} characters and no control characters.");
        }

        if (input.Password is { Length: > MaxPasswordLength })
        {
            errors.Add("password", $"A password has at most {MaxPasswordLength:N0} characters.");
        }

        if (!Enum.IsDefined(input.Role))
        {
            errors.Add("role", "A role is admin, manager, technician or customer.");
        }

        if (!string.IsNullOrWhiteSpace(input.CustomerId) && !Bounds.IsId(input.CustomerId))
        {
            errors.Add("customerId", Bounds.IdRule("A customer id"));
        }

        CheckName(errors, "team", input.Team);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var customerId = Bounds.Blank(input.CustomerId);
        if (customerId is not null && !await customers.ExistsAsync(customerId))
        {
            return Failure.Invalid("customerId", $"Customer '{customerId}' does not exist.");
        }

        var user = new UserAccount(input.UserName!.Trim(), string.Empty, input.Role, customerId, Bounds.Blank(input.Team));
        user = user with { PasswordHash = hashPassword(user, input.Password!) };
        return await Accounts.AddUser(user)
            ? new UserResponse(user.UserName, user.Role, user.CustomerId, user.Team, LockedOut: false)
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

        if (string.IsNullOrEmpty(userName) || userName.Length > Bounds.NameLength || await Accounts.FindUser(userName) is not { } user || !await Accounts.RemoveUser(userName))
        {
            return Failure.NotFound($"User '{userName}'");
        }

        return new UserResponse(user.UserName, user.Role, user.CustomerId, user.Team, user.LockedUntil > clock.Now);
    }

    /// <summary>
    /// Creates an API key: a <c>customer</c> key is bound to an existing customer, an <c>ingestion</c> key may be. The
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

        if (!Enum.IsDefined(input.Scope))
        {
            errors.Add("scope", "A key's scope is customer or ingestion.");
        }

        if (input.Scope == ApiKeyScope.Customer && string.IsNullOrWhiteSpace(input.CustomerId))
        {
            errors.Add("customerId", "A customer-scoped key is bound to one customer.");
        }
        else if (input.CustomerId is not null && !Bounds.IsId(input.CustomerId))
        {
            errors.Add("customerId", Bounds.IdRule("A customer id"));
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        if (input.CustomerId is { } customer && !await customers.ExistsAsync(customer))
        {
            return Failure.Invalid("customerId", $"Customer '{customer}' does not exist.");
        }

        var (record, key) = ApiKeys.Create(name!, input.Scope, input.CustomerId, clock.Now);
        return await Accounts.AddApiKey(record)
            ? new CreatedApiKeyResponse(ApiKeyResponse.From(record), key)
            : Failure.Conflict($"API key '{record.KeyId}' already exists.");
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

    private static void CheckName(InputErrors errors, string field, string? value)
    {
        if (value is not null && (value.Length > Bounds.NameLength || !Bounds.IsPrintable(value)))
        {
            errors.Add(field, $"At most {Bounds.NameLength} characters and no control characters.");
        }
    }
}
