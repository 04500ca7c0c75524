using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Orleans.Concurrency;
using SlaGrains.Domain.Subscribers;

namespace SlaGrains.Contracts.Subscribers;

/// <summary>
/// The <c>status_subscribers</c> table of the configured store (SQLite migration 9, PostgreSQL migration 10): one row per
/// email subscriber of a customer's public status page, keyed by <see cref="StatusSubscriberRow.SubscriberId"/> and
/// unique by (customer, address). Only the subscriber grains write it (one grain per subscriber decides, so two requests
/// for one address never race); the same behaviours hold on SQLite and PostgreSQL (one conformance suite).
/// </summary>
public interface IStatusSubscriberStore
{
    /// <summary>The subscriber, or null.</summary>
    Task<StatusSubscriberRow?> FindAsync(string subscriberId, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the rows (by id), in one transaction.</summary>
    Task SaveAsync(IReadOnlyList<StatusSubscriberRow> rows, CancellationToken cancellationToken = default);

    /// <summary>Deletes the subscriber of <paramref name="customerId"/>; false when there was none.</summary>
    Task<bool> DeleteAsync(string customerId, string subscriberId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> (1–10,000) subscribers of <paramref name="customerId"/> with ids after
    /// <paramref name="after"/> (null: from the first), by id; only confirmed ones when <paramref name="confirmedOnly"/>.
    /// </summary>
    Task<IReadOnlyList<StatusSubscriberRow>> ListAsync(string customerId, string? after, int limit, bool confirmedOnly, CancellationToken cancellationToken = default);
}

/// <summary>One subscriber as stored (the domain's <see cref="StatusSubscription"/> with its id, customer and creation time).</summary>
/// <param name="SubscriberId">The id (<see cref="StatusSubscriberIds.Of"/>).</param>
/// <param name="CustomerId">Whose page it follows.</param>
/// <param name="Address">The email address (normalised); shown to staff only.</param>
/// <param name="Status">Pending, confirmed or unsubscribed.</param>
/// <param name="Components">The monitor ids it receives once confirmed; empty for all.</param>
/// <param name="Requested">A change of components waiting for its confirmation; null when none.</param>
/// <param name="Generation">The latest confirmation request's number.</param>
/// <param name="CreatedAt">When the address first asked.</param>
/// <param name="RequestedAt">When the latest confirmation was asked for.</param>
/// <param name="ConfirmationSentAt">When the latest confirmation mail was queued (the 10-minute spacing counts from it).</param>
/// <param name="ConfirmedAt">When it was last confirmed.</param>
[GenerateSerializer]
[Alias("slagrains.status-subscriber-row")]
[Immutable]
public sealed record StatusSubscriberRow(
    [property: Id(0)] string SubscriberId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] string Address,
    [property: Id(3)] SubscriptionStatus Status,
    [property: Id(4)] ImmutableArray<string> Components,
    [property: Id(5)] ImmutableArray<string>? Requested,
    [property: Id(6)] int Generation,
    [property: Id(7)] Instant CreatedAt,
    [property: Id(8)] Instant RequestedAt,
    [property: Id(9)] Instant? ConfirmationSentAt,
    [property: Id(10)] Instant? ConfirmedAt)
{
    /// <summary>The domain's record.</summary>
    public StatusSubscription ToDomain() => new(
        Address, Status, [.. Components.IsDefault ? [] : Components], Requested is { } r ? [.. r.IsDefault ? [] : r] : null,
        Generation, RequestedAt, ConfirmationSentAt, ConfirmedAt);

    /// <summary>The row of a domain record.</summary>
    public static StatusSubscriberRow From(string subscriberId, string customerId, StatusSubscription subscription, Instant createdAt)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return new(
            subscriberId, customerId, subscription.Address, subscription.Status, [.. subscription.Components],
            subscription.Requested is { } r ? [.. r] : null, subscription.Generation, createdAt, subscription.RequestedAt,
            subscription.ConfirmationSentAt, subscription.ConfirmedAt);
    }
}

/// <summary>Subscriber ids.</summary>
public static class StatusSubscriberIds
{
    /// <summary>
    /// The id of <paramref name="address"/>'s subscription to <paramref name="customerId"/>'s page: <c>sub-</c> and 24 hex
    /// digits of SHA-256(customer, address). Derived, so a second request for one address reaches the same grain (no
    /// lookup, no race); it is shown to staff and put in signed links, never on a public page.
    /// </summary>
    public static string Of(string customerId, string address)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        ArgumentNullException.ThrowIfNull(address);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{customerId}\n{address}"));
        return $"sub-{Convert.ToHexStringLower(hash, 0, 12)}";
    }

    /// <summary>Whether <paramref name="id"/> has the shape of a subscriber id.</summary>
    public static bool IsId(string? id)
        => id is { Length: 28 } && id.StartsWith("sub-", StringComparison.Ordinal) && id.AsSpan(4).ContainsAnyExcept("0123456789abcdef") == false;
}

/// <summary>
/// One email subscriber (key: <see cref="StatusSubscriberIds.Of"/>): a thin shell around the domain's
/// <see cref="SubscriberLifecycle"/> over its <c>status_subscribers</c> row. A request that asks for a confirmation
/// queues the confirmation mail (<c>subscriber-confirm:{id}:{generation}</c>) through the email outbox before it returns.
/// </summary>
public interface IStatusSubscriberGrain : IGrainWithStringKey
{
    /// <summary>
    /// A visitor asks for <paramref name="components"/> (monitor ids; empty: all) of <paramref name="customerId"/>'s page at
    /// <paramref name="slug"/> for <paramref name="address"/> (normalised). The answer says nothing about the address's state.
    /// </summary>
    Task<SubscriberAnswer> Request(string customerId, string slug, string address, ImmutableArray<string> components);

    /// <summary>The confirmation link of generation <paramref name="generation"/> was followed on <paramref name="customerId"/>'s page (another customer's: no subscription).</summary>
    Task<SubscriberAnswer> Confirm(string customerId, int generation);

    /// <summary>The unsubscribe link was followed (idempotent).</summary>
    Task<SubscriberAnswer> Unsubscribe();

    /// <summary>Staff remove the subscriber of <paramref name="customerId"/>; false when there is none.</summary>
    Task<bool> Remove(string customerId);
}

/// <summary>What came of a subscriber command: a rejection code and text, or none.</summary>
[GenerateSerializer]
[Alias("slagrains.subscriber-answer")]
[Immutable]
public sealed record SubscriberAnswer([property: Id(0)] string? RejectionCode, [property: Id(1)] string? RejectionMessage)
{
    /// <summary>Accepted.</summary>
    public static SubscriberAnswer Accepted { get; } = new(null, null);

    /// <summary>True when accepted.</summary>
    public bool IsAccepted => RejectionCode is null;
}

/// <summary>
/// A customer's subscribers as a whole (key: customer id): the staff list, and the fan-out of incident updates and
/// maintenance to the confirmed subscribers whose components match, through the email outbox.
/// </summary>
public interface IStatusSubscribersGrain : IGrainWithStringKey
{
    /// <summary>Up to <paramref name="limit"/> (1–500) subscribers with ids after <paramref name="after"/>, by id (staff only: addresses).</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<StatusSubscriberRow>> List(string? after, int limit);

    /// <summary>
    /// Queues one mail per confirmed subscriber who receives <paramref name="notice"/>'s components, message id
    /// <c>{notice id}:{subscriber id}</c>, so a replay queues nothing twice. Nothing when the customer's page is off.
    /// Returns how many were newly queued.
    /// </summary>
    Task<int> Notify(SubscriberNotice notice);
}

/// <summary>What subscribers are told about.</summary>
public enum SubscriberNoticeKind
{
    /// <summary>Staff posted an update to an incident (opening a manual incident is its first update).</summary>
    IncidentUpdate,

    /// <summary>Maintenance was announced.</summary>
    MaintenanceAnnounced,
}

/// <summary>Something a customer's subscribers are told about.</summary>
/// <param name="NoticeId">The stable id, e.g. <c>incident-update:{incidentId}/{sequence}</c>; message ids are <c>{NoticeId}:{subscriberId}</c>.</param>
/// <param name="Kind">What it is.</param>
/// <param name="CustomerId">Whose subscribers.</param>
/// <param name="Components">The monitor ids it concerns (empty: the whole page).</param>
/// <param name="Title">The incident's title (manual) or the maintenance description; null when there is none.</param>
/// <param name="Status">The update's status (<c>investigating</c>, <c>identified</c>, <c>monitoring</c>, <c>resolved</c>); null for maintenance.</param>
/// <param name="Message">The update's text, or the maintenance description.</param>
/// <param name="At">When it was posted or announced.</param>
/// <param name="Start">The maintenance's start; null for an incident.</param>
/// <param name="End">The maintenance's end; null for an incident.</param>
[GenerateSerializer]
[Alias("slagrains.subscriber-notice")]
[Immutable]
public sealed record SubscriberNotice(
    [property: Id(0)] string NoticeId,
    [property: Id(1)] SubscriberNoticeKind Kind,
    [property: Id(2)] string CustomerId,
    [property: Id(3)] ImmutableArray<string> Components,
    [property: Id(4)] string? Title,
    [property: Id(5)] string? Status,
    [property: Id(6)] string Message,
    [property: Id(7)] Instant At,
    [property: Id(8)] Instant? Start = null,
    [property: Id(9)] Instant? End = null);

/// <summary>The signed links of subscriber mail (<see cref="Channels.SignedTokens"/>).</summary>
public static class SubscriberLinks
{
    /// <summary>The purpose of a confirmation link; payload <c>{subscriberId}:{generation}:{issued unix seconds}</c>, valid 48 h.</summary>
    public const string ConfirmPurpose = "subscriber-confirm";

    /// <summary>The purpose of an unsubscribe link; payload <c>{subscriberId}</c>, no expiry (an old mail's link still works).</summary>
    public const string UnsubscribePurpose = "subscriber-unsubscribe";

    /// <summary>The confirmation token.</summary>
    public static string ConfirmToken(ReadOnlySpan<byte> key, string subscriberId, int generation, Instant issued)
        => Channels.SignedTokens.Sign(key, ConfirmPurpose, FormattableString.Invariant($"{subscriberId}:{generation}:{issued.ToUnixTimeSeconds()}"));

    /// <summary>The unsubscribe token.</summary>
    public static string UnsubscribeToken(ReadOnlySpan<byte> key, string subscriberId)
        => Channels.SignedTokens.Sign(key, UnsubscribePurpose, subscriberId);

    /// <summary>The subscriber and generation of a confirmation token signed with <paramref name="key"/> and younger than 48 h at <paramref name="now"/>; null otherwise.</summary>
    public static (string SubscriberId, int Generation)? ReadConfirm(ReadOnlySpan<byte> key, string? token, Instant now)
    {
        if (Channels.SignedTokens.TryRead(key, ConfirmPurpose, token) is not { } payload)
        {
            return null;
        }

        var parts = payload.Split(':');
        if (parts.Length != 3 || !StatusSubscriberIds.IsId(parts[0])
            || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var generation)
            || !long.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var issued))
        {
            return null;
        }

        var age = now - Instant.FromUnixTimeSeconds(issued);
        return age >= -Duration.FromMinutes(5) && age <= StatusSubscription.ConfirmationLifetime ? (parts[0], generation) : null;
    }

    /// <summary>The subscriber of an unsubscribe token signed with <paramref name="key"/>; null otherwise.</summary>
    public static string? ReadUnsubscribe(ReadOnlySpan<byte> key, string? token)
        => Channels.SignedTokens.TryRead(key, UnsubscribePurpose, token) is { } id && StatusSubscriberIds.IsId(id) ? id : null;
}
