namespace SlaGrains.Storage.ReadModels;

/// <summary>
/// Where the ticket grain keeps its durable state, as grain storage sees it: grain type <c>ticket</c> (Orleans' name for
/// <c>TicketGrain</c>), string keys that are the ticket ids, state name <c>ticket</c>. The stale-row check compares
/// those rows' versions with the <c>tickets</c> rows', since the grain stamps each row with the ETag of the state
/// write it was made from.
/// </summary>
internal static class TicketGrainState
{
    /// <summary>The grain type of <c>TicketGrain</c>.</summary>
    public const string GrainType = "ticket";

    /// <summary>The name of its <c>[PersistentState]</c>.</summary>
    public const string StateName = "ticket";
}
