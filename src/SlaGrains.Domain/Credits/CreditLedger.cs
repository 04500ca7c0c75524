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

/// <summary>A credit in the ledger with its status and the instants it changed.</summary>
/// <param name="Credit">The month's credit: key, reason, inputs, amount and the instant it was computed.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="AnnouncedAt">When it was announced, once it was.</param>
/// <param name="AppliedAt">When it was applied to an invoice, once it was.</param>
/// <param name="InvoiceReference">The invoice it was applied to, once it was.</param>
public sealed record CreditLedgerEntry(
    MonthlyCredit Credit,
    CreditStatus Status,
    Instant? AnnouncedAt = null,
    Instant? AppliedAt = null,
    string? InvoiceReference = null)
{
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

        return Replace(entry with { Status = CreditStatus.Announced, AnnouncedAt = at });
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
            case CreditStatus.AppliedToInvoice when entry.InvoiceReference == invoiceReference:
                return new LedgerChange(this, entry, null);
            case CreditStatus.AppliedToInvoice:
                return new LedgerChange(this, entry, new Rejection(
                    "credit-already-applied",
                    $"Credit {key} is already applied to invoice {entry.InvoiceReference}."));
        }

        if (at < entry.AnnouncedAt)
        {
            return new LedgerChange(this, entry, new Rejection(
                "credit-applied-before-announced",
                $"Credit {key} was announced at {entry.AnnouncedAt} and cannot be applied earlier, at {at}."));
        }

        return Replace(entry with { Status = CreditStatus.AppliedToInvoice, AppliedAt = at, InvoiceReference = invoiceReference });
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
