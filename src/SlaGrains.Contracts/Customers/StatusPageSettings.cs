using Orleans.Concurrency;

namespace SlaGrains.Contracts.Customers;

/// <summary>
/// A customer's public status page: its address (<c>/status-pages/{slug}</c>), whether anyone may see it, and whether
/// it shows this month's availability against the commitment. Kept by the customer (<see cref="ICustomerStatusPageGrain"/>)
/// and indexed by slug (<see cref="IStatusPageDirectoryGrain"/>).
/// </summary>
/// <param name="Slug">The page's address segment: 3–64 of <c>a–z 0–9 -</c>, not starting or ending with '-'; unique across customers.</param>
/// <param name="Enabled">True: served to anyone; false: 404, exactly like a slug that does not exist (the slug stays reserved).</param>
/// <param name="ShowAvailability">True: anonymous visitors also see this month's availability against the commitment (default false).</param>
[GenerateSerializer]
[Alias("slagrains.status-page-settings")]
[Immutable]
public sealed record StatusPageSettings([property: Id(0)] string Slug, [property: Id(1)] bool Enabled, [property: Id(2)] bool ShowAvailability = false);

/// <summary>
/// The customer's status-page setting, kept in the customer grain's own state (the same grain as
/// <see cref="ICustomerGrain"/>, key: customer id). A change is written before the call returns.
/// </summary>
public interface ICustomerStatusPageGrain : IGrainWithStringKey
{
    /// <summary>Replaces the setting; returns the one it replaced (null: none was set).</summary>
    Task<StatusPageSettings?> SetStatusPage(StatusPageSettings settings);

    /// <summary>The setting; null until one is set.</summary>
    [AlwaysInterleave]
    Task<StatusPageSettings?> GetStatusPage();
}

/// <summary>
/// The status pages by slug (one grain, key <see cref="Key"/>): decides atomically who holds a slug, and answers the
/// public lookup in one call, so an unknown and a disabled slug take the same path. An index of what the customers keep:
/// the customer grain's setting is the record, this is where a slug is found.
/// </summary>
public interface IStatusPageDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The single instance's key.</summary>
    const string Key = "status-pages";

    /// <summary>
    /// Gives <paramref name="page"/>'s slug to its customer, releasing the slug the customer held before (if another);
    /// false (and nothing changes) when another customer holds the slug.
    /// </summary>
    Task<bool> Claim(StatusPageEntry page);

    /// <summary>The enabled page at <paramref name="slug"/>; null when none holds it or its page is disabled (the same answer).</summary>
    [AlwaysInterleave]
    Task<StatusPageEntry?> FindEnabled(string slug);
}

/// <summary>A status page as the directory indexes it.</summary>
/// <param name="CustomerId">Whose page it is.</param>
/// <param name="Settings">Its slug and switches.</param>
[GenerateSerializer]
[Alias("slagrains.status-page-entry")]
[Immutable]
public sealed record StatusPageEntry([property: Id(0)] string CustomerId, [property: Id(1)] StatusPageSettings Settings);
