using SlaGrains.Application.Accounts;
using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Application.Tests.Accounts;

/// <summary>Users and API keys: admins only, the new-user rules, conflicts on taken names, keys shown once and stored hashed.</summary>
public sealed class AccountCommandsTests(ApplicationWorld world) : IClassFixture<ApplicationWorld>
{
    private static readonly Caller Admin = new("ada", UserRole.Admin, null, null, IngestionOnly: false);

    private AccountCommands Commands => world.Get<AccountCommands>();

    private AccountQueries Queries => world.Get<AccountQueries>();

    private IAccountsGrain Accounts => world.Grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key);

    [Fact]
    public async Task A_manager_may_not_add_users_create_keys_or_list_either()
    {
        var user = await Commands.AddUser(world.Manager, new NewUserRequest(Name(), "long-enough-password", UserRole.Admin, null, null), Hash);
        var key = await Commands.CreateApiKey(world.Manager, new NewApiKeyRequest("portal", ApiKeyScope.Ingestion, null));
        var users = await Queries.Users(world.Manager);
        var keys = await Queries.ApiKeys(world.Manager);

        Assert.All([user.Failure, key.Failure, users.Failure, keys.Failure], f => Assert.Equal(FailureKind.Forbidden, f!.Kind));
    }

    [Fact]
    public async Task An_admin_adds_a_user_whose_password_is_stored_only_hashed_and_a_taken_name_in_any_case_is_a_conflict()
    {
        var name = Name();

        var added = await Commands.AddUser(Admin, new NewUserRequest(name, "tina-password-1", UserRole.Technician, null, " desk "), Hash);
        var again = await Commands.AddUser(Admin, new NewUserRequest(name.ToUpperInvariant(), "other-password-1", UserRole.Manager, null, null), Hash);

        var stored = await Accounts.FindUser(name);
        Assert.Equal((name, "desk", false), (added.Value!.UserName, added.Value.Team, added.Value.LockedOut));
        Assert.Equal(Hash(stored!, "tina-password-1"), stored!.PasswordHash);
        Assert.DoesNotContain("tina-password-1", stored.PasswordHash, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Conflict, again.Failure!.Kind);
        Assert.Equal(UserRole.Technician, (await Accounts.FindUser(name))!.Role);
        Assert.Contains((await Queries.Users(Admin)).Value, u => u.UserName == name);
    }

    [Fact]
    public async Task A_short_password_and_a_customer_user_without_a_customer_are_invalid_and_an_unknown_customer_names_customerId()
    {
        var invalid = await Commands.AddUser(Admin, new NewUserRequest("has space", "short", UserRole.Customer, null, null), Hash);
        var unknown = await Commands.AddUser(Admin, new NewUserRequest(Name(), "long-enough-password", UserRole.Customer, "no-such-customer", null), Hash);

        Assert.Equal(["customerId", "password", "userName"], invalid.Failure!.Errors!.Keys.Order());
        Assert.Equal(["customerId"], unknown.Failure!.Errors!.Keys);
    }

    [Fact]
    public async Task An_admin_removes_another_user_but_not_themself_and_an_unknown_user_is_not_found()
    {
        var name = Name();
        await Commands.AddUser(Admin, new NewUserRequest(name, "long-enough-password", UserRole.Technician, null, null), Hash);

        var self = await Commands.RemoveUser(Admin, "ADA");
        var removed = await Commands.RemoveUser(Admin, name);
        var again = await Commands.RemoveUser(Admin, name);

        Assert.Equal(FailureKind.Conflict, self.Failure!.Kind);
        Assert.Equal(name, removed.Value!.UserName);
        Assert.Equal(FailureKind.NotFound, again.Failure!.Kind);
        Assert.Null(await Accounts.FindUser(name));
    }

    [Fact]
    public async Task A_customer_key_needs_an_existing_customer_and_its_secret_is_returned_once_and_stored_hashed()
    {
        var customer = await world.CustomerAsync();

        var unbound = await Commands.CreateApiKey(Admin, new NewApiKeyRequest("portal", ApiKeyScope.Customer, null));
        var unknown = await Commands.CreateApiKey(Admin, new NewApiKeyRequest("portal", ApiKeyScope.Customer, "no-such-customer"));
        var nameless = await Commands.CreateApiKey(Admin, new NewApiKeyRequest(" ", ApiKeyScope.Ingestion, customer));
        var created = await Commands.CreateApiKey(Admin, new NewApiKeyRequest(" portal ", ApiKeyScope.Customer, customer));

        Assert.Equal(["customerId"], unbound.Failure!.Errors!.Keys);
        Assert.Equal(["customerId"], unknown.Failure!.Errors!.Keys);
        Assert.Equal(["name"], nameless.Failure!.Errors!.Keys);
        Assert.True(ApiKeys.TryParse(created.Value!.Key, out var id, out var secret));
        var stored = await Accounts.FindApiKey(id);
        Assert.Equal(("portal", customer), (stored!.Name, stored.CustomerId));
        Assert.True(ApiKeys.Matches(stored, secret));
        Assert.DoesNotContain(secret, stored.SecretHash, StringComparison.Ordinal);
        Assert.Contains((await Queries.ApiKeys(Admin)).Value, k => k.Id == id);
    }

    [Fact]
    public async Task A_revoked_key_keeps_its_first_revocation_and_an_unknown_key_is_not_found()
    {
        var created = (await Commands.CreateApiKey(Admin, new NewApiKeyRequest("ingest", ApiKeyScope.Ingestion, await world.CustomerAsync()))).Value!;

        var revoked = await Commands.RevokeApiKey(Admin, created.ApiKey.Id);
        var again = await Commands.RevokeApiKey(Admin, created.ApiKey.Id);
        var unknown = await Commands.RevokeApiKey(Admin, "0000000000000000");

        Assert.NotNull(revoked.Value!.RevokedAt);
        Assert.Equal(revoked.Value.RevokedAt, again.Value!.RevokedAt);
        Assert.Equal(FailureKind.NotFound, unknown.Failure!.Kind);
    }

    [Fact]
    public async Task An_ingestion_key_is_bound_to_an_existing_customer()
    {
        var customer = await world.CustomerAsync();

        var unbound = await Commands.CreateApiKey(Admin, new NewApiKeyRequest("probe", ApiKeyScope.Ingestion, null));
        var unknown = await Commands.CreateApiKey(Admin, new NewApiKeyRequest("probe", ApiKeyScope.Ingestion, "no-such-customer"));
        var bound = await Commands.CreateApiKey(Admin, new NewApiKeyRequest("probe", ApiKeyScope.Ingestion, customer));

        Assert.Equal(["customerId"], unbound.Failure!.Errors!.Keys);
        Assert.Equal(["customerId"], unknown.Failure!.Errors!.Keys);
        Assert.Equal(customer, bound.Value!.ApiKey.CustomerId);
    }

    [Fact]
    public async Task Changing_role_team_or_password_rotates_the_security_stamp_and_an_unchanged_user_keeps_it()
    {
        var name = Name();
        await Commands.AddUser(Admin, new NewUserRequest(name, "long-enough-password", UserRole.Technician, null, "red"), Hash);
        var first = await Accounts.SecurityStamp(name);

        await Commands.ChangeUser(Admin, name, new ChangeUserRequest(UserRole.Technician, null, " red "));
        var unchanged = await Accounts.SecurityStamp(name);
        var moved = await Commands.ChangeUser(Admin, name, new ChangeUserRequest(UserRole.Technician, null, "blue"));
        var afterMove = await Accounts.SecurityStamp(name);
        await Commands.SetPassword(Admin, name, new NewPasswordRequest("another-long-password"), Hash);
        var afterPassword = await Accounts.SecurityStamp(name);
        var byManager = await Commands.ChangeUser(world.Manager, name, new ChangeUserRequest(UserRole.Admin, null, null));
        var ownRole = await Commands.ChangeUser(Admin with { Name = name }, name, new ChangeUserRequest(UserRole.Manager, null, null));

        Assert.False(string.IsNullOrEmpty(first));
        Assert.Equal(first, unchanged);
        Assert.Equal("blue", moved.Value!.Team);
        Assert.NotEqual(first, afterMove);
        Assert.NotEqual(afterMove, afterPassword);
        Assert.Equal(FailureKind.Forbidden, byManager.Failure!.Kind);
        Assert.Equal(FailureKind.Conflict, ownRole.Failure!.Kind);
        Assert.Null(await Accounts.SecurityStamp("no-such-user"));
    }

    /// <summary>A stand-in for the host's password hasher: deterministic, and never the password itself.</summary>
    private static string Hash(UserAccount user, string password) => $"hashed:{user.UserName}:{password.Length}";

    private static string Name() => $"u-{Guid.NewGuid():N}"[..12];
}
