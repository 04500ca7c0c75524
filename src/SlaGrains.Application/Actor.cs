using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Application;

/// <summary>
/// Tells grains who is acting, for the audit's "by whom": the caller's name rides on Orleans' request context of the
/// calls made while the returned scope is open.
/// </summary>
internal static class Actor
{
    /// <summary>Sets the actor for the calls that follow on this logical flow; disposing restores the previous one.</summary>
    public static IDisposable Is(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var previous = RequestContext.Get(AuditActor.Key);
        RequestContext.Set(AuditActor.Key, caller.Name);
        return new Restore(previous);
    }

    private sealed class Restore(object? previous) : IDisposable
    {
        public void Dispose()
        {
            if (previous is null)
            {
                RequestContext.Remove(AuditActor.Key);
            }
            else
            {
                RequestContext.Set(AuditActor.Key, previous);
            }
        }
    }
}
