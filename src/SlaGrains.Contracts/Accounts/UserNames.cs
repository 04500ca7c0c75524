namespace SlaGrains.Contracts.Accounts;

/// <summary>How user names compare: case-insensitively and without surrounding spaces, as at sign-in.</summary>
public static class UserNames
{
    /// <summary>The key one user is known by in the account store, the stamp cache and the sign-in limits.</summary>
    public static string Key(string userName)
    {
        ArgumentNullException.ThrowIfNull(userName);
        return userName.Trim().ToLowerInvariant();
    }
}
