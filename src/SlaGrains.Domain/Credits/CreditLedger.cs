using System.Collections.Immutable;
using NodaTime;

namespace SlaGrains.Domain.Credits;

/// <summary>Where a recorded credit stands. It moves forward only: Computed → Announced → AppliedToInvoice.</summary>
public enum CreditStatus
{
    /// <summary>Computed when the month closed; not yet told to the customer.</summary>
    Computed,

    /// <summary>Announced to the customer (before the invoice).</summary>
    Announced,

    /// <summary>Applied to an invoice.</summary>
    AppliedToInvoice,
}

/// <summary>
/// A credit in the ledger with its status and the instants it changed. The fields agree with the status:
/// a computed credit has no announcement or invoice; an announced one has <see cref="AnnouncedAt"/>; an applied one
/// also has <see cref="AppliedAt"/> and <see cref="InvoiceReference"/>; and the instants never run backwards.
/// </summary>
public sealed record CreditLedgerEntry
{
    /// <summary>Creates an entry (for example when loading a stored ledger, see <see cref="CreditLedger.FromEntries"/>).</summary>
    /// <param name="credit">The month's credit: key, reason, inputs, amount and the instant it was computed.</param>
    /// <param name="status">Where it stands.</param>
    /// <param name="announcedAt">When it was announced: required from <see cref="CreditStatus.Announced"/> on, absent before.</param>
    /// <param name="appliedAt">When it was applied: required for <see cref="CreditStatus.AppliedToInvoice"/>, absent before.</param>
    /// <param name="invoiceReference">The invoice: required (not blank) for <see cref="CreditStatus.AppliedToInvoice"/>, absent before.</param>
    /// <exception cref="ArgumentException">The fields do not agree with the status, or the instants run backwards.</exception>
    public CreditLedgerEntry(
        MonthlyCredit credit,
        CreditStatus status,
        Instant? announcedAt = null,
        Instant? appliedAt = null,
        string? invoiceReference = null)
    {
        Credit = Guard.NotNull(credit, nameof(credit));
        if (!Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, $"{nameof(status)} is not a credit status; got {status}.");
        }

        var announced = status != CreditStatus.Computed;
        var applied = status == CreditStatus.AppliedToInvoice;
        if (announcedAt.HasValue != announced)
        {
            throw new ArgumentException($"{nameof(announcedAt)} must be {(announced ? "given" : "absent")} for a {status} credit.", nameof(announcedAt));
        }

        if (appliedAt.HasValue != applied)
        {
            throw new ArgumentException($"{nameof(appliedAt)} must be {(applied ? "given" : "absent")} for a {status} credit.", nameof(appliedAt));
        }

        if (string.IsNullOrWhiteSpace(invoiceReference) == applied)
        {
            throw new ArgumentException($"{nameof(invoiceReference)} must be {(applied ? "given" : "absent")} for a {status} credit.", nameof(invoiceReference));
        }

        if (announcedAt < credit.ComputedAt || appliedAt < announcedAt)
        {
            throw new ArgumentException(
                $"Credit {credit.IdempotencyKey}: computed {credit.ComputedAt}, announced {announcedAt}, applied {appliedAt} run backwards.",
                nameof(announcedAt));
        }

        Status = status;
        AnnouncedAt = announcedAt;
        AppliedAt = appliedAt;
        InvoiceReference = invoiceReference;
    }

    /// <summary>The month's credit: key, reason, inputs, amount and the instant it was computed.</summary>
    public MonthlyCredit Credit { get; }

    /// <summary>Where it stands.</summary>
    public CreditStatus Status { get; }

    /// <summary>When it was announced, once it was.</summary>
    public Instant? AnnouncedAt { get; }

    /// <summary>When it was applied to an invoice, once it was.</summary>
    public Instant? AppliedAt { get; }

    /// <summary>The invoice it was applied to, once it was.</summary>
    public string? InvoiceReference { get; }

    /// <summary>The credit's idempotency key.</summary>
    public string Key => Credit.IdempotencyKey;
}

/// <summary>What <see cref="CreditLedger.Record"/> did.</summary>
/// <param name="Ledger">The ledger after recording: the very same instance when <paramref name="WasDuplicate"/>.</param>
/// <param name="Entry">The entry under the credit's key: the new one, or the one already there for a duplicate.</param>
/// <param name="WasDuplicate">True when the key was already recorded and nothing changed.</param>
public sealed record LedgerRecordResult(CreditLedger Ledger, CreditLedgerEntry Entry, bool WasDuplicate);

/// <summary>What a status change did: the new ledger and entry, or a rejection and the unchanged ledger.</summary>
/// <param name="Ledger">The ledger after the change (unchanged on rejection or when the change was already made).</param>
/// <param name="Entry">The entry after the change; <see langword="null"/> when the key is unknown.</param>
/// <param name="Rejection">Why the change was refused, or <see langword="null"/>.</param>
public sealed record LedgerChange(CreditLedger Ledger, CreditLedgerEntry? Entry, Rejection? Rejection)
{
    /// <summary>True when the change was made or had already been made.</summary>
    public bool Accepted => Rejection is null;
}

/// <summary>
/// An immutable ledger of monthly credits, at most one per idempotency key (customer and calendar month).
/// Recording a credit whose key exists changes nothing, so credits never accumulate across retries or
/// recomputations, and each month stands on its own.
/// </summary>
public sealed class CreditLedger
{
    private readonly ImmutableDictionary<string, CreditLedgerEntry> _entries;

    private CreditLedger(ImmutableDictionary<string, CreditLedgerEntry> entries) => _entries = entries;

    /// <summary>The ledger with no entries.</summary>
    public static CreditLedger Empty { get; } = new(ImmutableDictionary<string, CreditLedgerEntry>.Empty.WithComparers(StringComparer.Ordinal));

    /// <summary>A ledger holding <paramref name="entries"/> (for example loaded from storage).</summary>
    /// <param name="entries">Entries with distinct idempotency keys, in any order.</param>
    /// <exception cref="ArgumentException">Two entries share a key.</exception>
    public static CreditLedger FromEntries(IEnumerable<CreditLedgerEntry> entries)
    {
        Guard.NotNull(entries, nameof(entries));
        var builder = Empty._entries.ToBuilder();
        foreach (var entry in entries)
        {
            Guard.NotNull(entry, nameof(entries));
            if (!builder.TryAdd(entry.Key, entry))
            {
                throw new ArgumentException($"{nameof(entries)} holds {entry.Key} more than once; a ledger keeps one credit per customer and month.", nameof(entries));
            }
        }

        return new CreditLedger(builder.ToImmutable());
    }

    /// <summary>Number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>The entries ordered by customer id (ordinal), then month.</summary>
    public IReadOnlyList<CreditLedgerEntry> Entries =>
        [.. _entries.Values.OrderBy(e => e.Credit.CustomerId, StringComparer.Ordinal).ThenBy(e => e.Credit.Month)];

    /// <summary>The entry under an idempotency key, or <see langword="null"/>.</summary>
    /// <param name="key">An idempotency key (<c>sla-credit-{customerId}-{yyyy-MM}</c>).</param>
    public CreditLedgerEntry? Find(string key) => _entries.GetValueOrDefault(key);

    /// <summary>The entry for a customer and month, or <see langword="null"/>.</summary>
    /// <param name="customerId">The customer's id.</param>
    /// <param name="month">The calendar month.</param>
    public CreditLedgerEntry? Find(string customerId, YearMonth month) => Find(MonthlyCredit.KeyFor(customerId, month));

    /// <summary>
    /// Records a credit with status <see cref="CreditStatus.Computed"/>. When its key is already recorded, returns this
    /// ledger unchanged with the existing entry and <see cref="LedgerRecordResult.WasDuplicate"/> set: the first
    /// credit computed for a month is the one that stands.
    /// </summary>
    /// <param name="credit">The month's credit.</param>
    public LedgerRecordResult Record(MonthlyCredit credit)
    {
        Guard.NotNull(credit, nameof(credit));
        if (_entries.TryGetValue(credit.IdempotencyKey, out var existing))
        {
            return new LedgerRecordResult(this, existing, WasDuplicate: true);
        }

        var entry = new CreditLedgerEntry(credit, CreditStatus.Computed);
        return new LedgerRecordResult(new CreditLedger(_entries.Add(entry.Key, entry)), entry, WasDuplicate: false);
    }

    /// <summary>
    /// Marks a computed credit as announced to the customer at <paramref name="at"/>. Announcing again, or after it
    /// was applied, changes nothing and is accepted. Rejected (<c>credit-not-found</c>, <c>credit-announced-before-computed</c>)
    /// when the key is unknown or <paramref name="at"/> precedes the computation.
    /// </summary>
    /// <param name="key">The credit's idempotency key.</param>
    /// <param name="at">When it was announced.</param>
    public LedgerChange Announce(string key, Instant at)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return NotFound(key);
        }

        if (entry.Status != CreditStatus.Computed)
        {
            return new LedgerChange(this, entry, null);
        }

        if (at < entry.Credit.ComputedAt)
        {
            return new LedgerChange(this, entry, new Rejection(
                "credit-announced-before-computed",
                $"Credit {key} was computed at {entry.Credit.ComputedAt} and cannot be announced earlier, at {at}."));
        }

        return Replace(new CreditLedgerEntry(entry.Credit, CreditStatus.Announced, at));
    }

    /// <summary>
    /// Marks an announced credit as applied to invoice <paramref name="invoiceReference"/> at <paramref name="at"/>.
    /// Applying again to the same invoice changes nothing and is accepted. Rejected when the key is unknown
    /// (<c>credit-not-found</c>), the credit was not announced yet (<c>credit-not-announced</c>: customers see a credit
    /// before the invoice), it is already on another invoice (<c>credit-already-applied</c>), the invoice reference is
    /// blank (<c>invoice-reference-missing</c>) or <paramref name="at"/> precedes the announcement
    /// (<c>credit-applied-before-announced</c>).
    /// </summary>
    /// <param name="key">The credit's idempotency key.</param>
    /// <param name="invoiceReference">The invoice the credit appears on.</param>
    /// <param name="at">When it was applied.</param>
    public LedgerChange ApplyToInvoice(string key, string invoiceReference, Instant at)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return NotFound(key);
        }

        if (string.IsNullOrWhiteSpace(invoiceReference))
        {
            return new LedgerChange(this, entry, new Rejection("invoice-reference-missing", $"Credit {key} needs the invoice it is applied to."));
        }

        switch (entry.Status)
        {
            case CreditStatus.Computed:
                return new LedgerChange(this, entry, new Rejection(
                    "credit-not-announced",
                    $"Credit {key} must be announced to the customer before it is applied to an invoice."));
            case CreditStatus.AppliedToInvoice:
                // The same invoice again changes nothing; another one is refused (one rule, see InvoiceApplication).
                return new LedgerChange(this, entry, InvoiceApplication.Decide(entry.InvoiceReference, invoiceReference).Rejection);
        }

        if (at < entry.AnnouncedAt)
        {
            return new LedgerChange(this, entry, new Rejection(
                "credit-applied-before-announced",
                $"Credit {key} was announced at {entry.AnnouncedAt} and cannot be applied earlier, at {at}."));
        }

        return Replace(new CreditLedgerEntry(entry.Credit, CreditStatus.AppliedToInvoice, entry.AnnouncedAt, at, invoiceReference));
    }

    /// <summary>
    /// The total of a customer's credits in <paramref name="currency"/> for the months
    /// <paramref name="first"/> to <paramref name="last"/>, both inclusive, whatever their status. Credits in other
    /// currencies are not added in.
    /// </summary>
    /// <param name="customerId">The customer's id.</param>
    /// <param name="currency">ISO 4217 code of the amounts to add.</param>
    /// <param name="first">First month, inclusive.</param>
    /// <param name="last">Last month, inclusive; not before <paramref name="first"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="last"/> is before <paramref name="first"/>.</exception>
    public decimal TotalFor(string customerId, string currency, YearMonth first, YearMonth last)
    {
        if (last < first)
        {
            throw new ArgumentException($"{nameof(last)} {last} is before {nameof(first)} {first}.", nameof(last));
        }

        return _entries.Values
            .Where(e => e.Credit.CustomerId == customerId && e.Credit.Currency == currency)
            .Where(e => e.Credit.Month >= first && e.Credit.Month <= last)
            .Sum(e => e.Credit.Amount);
    }

    /// <summary>The total of a customer's credits in <paramref name="currency"/> for one month.</summary>
    /// <param name="customerId">The customer's id.</param>
    /// <param name="currency">ISO 4217 code.</param>
    /// <param name="month">The month.</param>
    public decimal TotalFor(string customerId, string currency, YearMonth month) => TotalFor(customerId, currency, month, month);

    private LedgerChange NotFound(string key) =>
        new(this, null, new Rejection("credit-not-found", $"No credit is recorded under {key}."));

    private LedgerChange Replace(CreditLedgerEntry entry) =>
        new(new CreditLedger(_entries.SetItem(entry.Key, entry)), entry, null);
}

/// <summary>
/// Writing back from billing that a month's credit was applied to an invoice: once per credit. Applying again to the
/// same invoice changes nothing (a retried call from the billing system); another invoice is refused, because the
/// customer must not be credited twice for one month.
/// </summary>
public static class InvoiceApplication
{
    /// <summary>The longest invoice reference kept (billing systems' numbers are far shorter).</summary>
    public const int MaxReferenceLength = 100;

    /// <summary>
    /// Whether a credit applied to <paramref name="appliedTo"/> (null: not yet applied) may now be applied to
    /// <paramref name="reference"/>: <see cref="LedgerDecision.Apply"/>, <see cref="LedgerDecision.AlreadyApplied"/> (same
    /// invoice, trimmed, case-sensitive as billing systems print them), or a rejection (<c>credit-already-applied</c>,
    /// <c>invalid-invoice-reference</c>).
    /// </summary>
    public static (LedgerDecision Decision, Rejection? Rejection) Decide(string? appliedTo, string reference)
    {
        var trimmed = reference?.Trim() ?? string.Empty;
        if (trimmed.Length == 0 || trimmed.Length > MaxReferenceLength || trimmed.Any(char.IsControl))
        {
            return (LedgerDecision.Refused, new Rejection("invalid-invoice-reference", $"An invoice reference has 1 to {MaxReferenceLength} characters and no control characters."));
        }

        if (appliedTo is null)
        {
            return (LedgerDecision.Apply, null);
        }

        return appliedTo == trimmed
            ? (LedgerDecision.AlreadyApplied, null)
            : (LedgerDecision.Refused, new Rejection("credit-already-applied", $"The credit is already applied to invoice {appliedTo}; it cannot also go on {trimmed}."));
    }
}

/// <summary>What <see cref="InvoiceApplication.Decide"/> decided.</summary>
public enum LedgerDecision
{
    /// <summary>Record the application now.</summary>
    Apply,

    /// <summary>The same application is already recorded: nothing changes.</summary>
    AlreadyApplied,

    /// <summary>Refused (see the rejection).</summary>
    Refused,
}
