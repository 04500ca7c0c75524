namespace SlaGrains.Storage.ReadModels;

/// <summary>
/// Where the escalation record grain keeps its durable state, as grain storage sees it: grain type
/// <c>escalationrecord</c> (Orleans' name for <c>EscalationRecordGrain</c>), string keys that are the escalation ids
/// (<c>ticket/metric/percent/cycle</c>, so they hold '/'), state name <c>escalation</c>. The stale-row check compares
/// those rows' versions with the <c>escalations</c> rows', since the grain stamps each row with the ETag of the state
/// write it was made from.
/// </summary>
/// <remarks>
/// A state exists also for an alert that matched no rule (kept to de-duplicate it), and such an escalation has no row:
/// the check cannot tell it from a row not written yet, so it reports it as stale every time and the grain's refresh
/// writes nothing for it.
/// </remarks>
internal static class EscalationGrainState
{
    /// <summary>The grain type of <c>EscalationRecordGrain</c>.</summary>
    public const string GrainType = "escalationrecord";

    /// <summary>The name of its <c>[PersistentState]</c>.</summary>
    public const string StateName = "escalation";
}
