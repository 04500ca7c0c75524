namespace SlaGrains.Storage.ReadModels;

/// <summary>
/// Where the monitor grain keeps its durable state, as grain storage sees it: grain type <c>monitor</c> (Orleans' name
/// for <c>MonitorGrain</c>: the class name without its <c>Grain</c> suffix, lower case, as <c>ticket</c> is for
/// <c>TicketGrain</c>), string keys that are the monitor ids, state name <c>monitor</c>. The stale-row check compares
/// those rows' versions with the <c>monitors</c> rows', since the grain stamps each row with the ETag of the state
/// write it was made from.
/// </summary>
/// <remarks>
/// Only the <c>monitors</c> row is compared: a monitor's other rows (results, rollups, incidents, maintenance) are written
/// in the same batch as it, so a current <c>monitors</c> row means the rest was written too.
/// </remarks>
internal static class MonitorGrainState
{
    /// <summary>The grain type of <c>MonitorGrain</c>.</summary>
    public const string GrainType = "monitor";

    /// <summary>The name of its <c>[PersistentState]</c>.</summary>
    public const string StateName = "monitor";
}
