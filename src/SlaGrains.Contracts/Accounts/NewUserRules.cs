namespace SlaGrains.Contracts.Accounts;

/// <summary>What a new user must satisfy, wherever it is created (the API, the admin page).</summary>
public static class NewUserRules
{
    /// <summary>The shortest password accepted.</summary>
    public const int MinimumPasswordLength = 10;

    /// <summary>The problems with a new user, as (field, message); empty when it may be created.</summary>
    public static IReadOnlyList<(string Field, string Message)> Check(string? userName, string? password, UserRole role, string? customerId)
    {
        var problems = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(userName) || userName.Any(char.IsWhiteSpace))
        {
            problems.Add(("userName", "A user name is required, without spaces."));
        }

        if ((password?.Length ?? 0) < MinimumPasswordLength)
        {
            problems.Add(("password", $"A password has at least {MinimumPasswordLength} characters."));
        }

        problems.AddRange(CheckMembership(role, customerId));
        return problems;
    }

    /// <summary>The problems with a user's role and customer (a customer user has one, nobody else does), as (field, message).</summary>
    public static IReadOnlyList<(string Field, string Message)> CheckMembership(UserRole role, string? customerId)
    {
        var problems = new List<(string, string)>();
        if (role == UserRole.Customer && string.IsNullOrWhiteSpace(customerId))
        {
            problems.Add(("customerId", "A customer user belongs to one customer."));
        }

        if (role != UserRole.Customer && !string.IsNullOrEmpty(customerId))
        {
            problems.Add(("customerId", "Only customer users belong to a customer."));
        }

        return problems;
    }
}
