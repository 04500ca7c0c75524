namespace SlaGrains.Contracts.Accounts;

/// <summary>Who caused a change, as grains record it in audits: set by the application layer on Orleans' request context.</summary>
public static class AuditActor
{
    /// <summary>The request-context key holding the acting user's name.</summary>
    public const string Key = "slagrains.actor";

    /// <summary>What a deadline reached by the clock itself records as its actor.</summary>
    public const string SlaClock = "sla-clock";

    /// <summary>The actor of the current grain call: the user who caused it, or <paramref name="otherwise"/>.</summary>
    public static string Current(string otherwise = SlaClock) => RequestContext.Get(Key) as string ?? otherwise;
}
