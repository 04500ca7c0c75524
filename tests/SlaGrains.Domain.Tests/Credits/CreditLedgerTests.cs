using SlaGrains.Domain.Credits;

namespace SlaGrains.Domain.Tests.Credits;

public class CreditLedgerTests
{
    private static readonly CreditTerms Terms = new(99.9m, 1000m, "USD", CreditSchedule.Default);
    private static readonly Instant ClosedAt = Instant.FromUtc(2026, 4, 1, 0, 5);

    private static MonthlyCredit Credit(string customer, int month, decimal availability, Instant? at = null) =>
        MonthlyCredit.Compute(customer, new YearMonth(2026, month), availability, Terms, at ?? ClosedAt);

    [Fact]
    public void The_idempotency_key_is_sla_credit_customer_year_month()
    {
        Assert.Equal("sla-credit-acme-2026-03", Credit("acme", 3, 99.5m).IdempotencyKey);
        Assert.Equal("sla-credit-acme-2026-11", MonthlyCredit.KeyFor("acme", new YearMonth(2026, 11)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ac me")]
    public void A_blank_or_spaced_customer_id_is_rejected(string customer)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => MonthlyCredit.KeyFor(customer, new YearMonth(2026, 3)));

        Assert.Equal("customerId", ex.ParamName);
    }

    [Fact]
    public void Recording_the_same_month_twice_keeps_one_entry_and_reports_the_duplicate()
    {
        var first = CreditLedger.Empty.Record(Credit("acme", 3, 99.5m));
        var second = first.Ledger.Record(Credit("acme", 3, 94.0m, ClosedAt + Duration.FromHours(1)));

        Assert.False(first.WasDuplicate);
        Assert.True(second.WasDuplicate);
        Assert.Same(first.Ledger, second.Ledger);
        Assert.Equal(1, second.Ledger.Count);
        Assert.Equal(100.00m, second.Entry.Credit.Amount);
        Assert.Equal(100.00m, second.Ledger.TotalFor("acme", "USD", new YearMonth(2026, 3)));
    }

    [Fact]
    public void Two_months_make_two_entries_that_do_not_accumulate_into_each_other()
    {
        var ledger = CreditLedger.Empty
            .Record(Credit("acme", 3, 99.5m)).Ledger
            .Record(Credit("acme", 4, 94.0m)).Ledger;

        Assert.Equal(2, ledger.Count);
        Assert.Equal(100.00m, ledger.TotalFor("acme", "USD", new YearMonth(2026, 3)));
        Assert.Equal(500.00m, ledger.TotalFor("acme", "USD", new YearMonth(2026, 4)));
        Assert.Equal(600.00m, ledger.TotalFor("acme", "USD", new YearMonth(2026, 3), new YearMonth(2026, 4)));
    }

    [Fact]
    public void Totals_are_per_customer()
    {
        var ledger = CreditLedger.Empty
            .Record(Credit("acme", 3, 99.5m)).Ledger
            .Record(Credit("globex", 3, 94.0m)).Ledger;

        Assert.Equal(100.00m, ledger.TotalFor("acme", "USD", new YearMonth(2026, 1), new YearMonth(2026, 12)));
        Assert.Equal(500.00m, ledger.TotalFor("globex", "USD", new YearMonth(2026, 1), new YearMonth(2026, 12)));
        Assert.Equal(0m, ledger.TotalFor("initech", "USD", new YearMonth(2026, 3)));
    }

    [Fact]
    public void An_entry_keeps_the_reason_the_inputs_and_the_instant_computed()
    {
        var entry = CreditLedger.Empty.Record(Credit("acme", 3, 99.45m)).Entry;

        Assert.Equal(CreditStatus.Computed, entry.Status);
        Assert.Equal(ClosedAt, entry.Credit.ComputedAt);
        Assert.Equal(99.45m, entry.Credit.Result.Inputs.AvailabilityPercent);
        Assert.StartsWith("Availability 99.4500 % fell in tier [99.0 %, 99.9 %) → 10 % of 1,000.00 USD", entry.Credit.Reason);
    }

    [Fact]
    public void A_credit_is_announced_then_applied_to_an_invoice()
    {
        var ledger = CreditLedger.Empty.Record(Credit("acme", 3, 99.5m)).Ledger;
        const string key = "sla-credit-acme-2026-03";

        var announced = ledger.Announce(key, ClosedAt + Duration.FromHours(2));
        var applied = announced.Ledger.ApplyToInvoice(key, "INV-2026-04-0042", ClosedAt + Duration.FromDays(3));

        Assert.True(announced.Accepted);
        Assert.Equal(CreditStatus.Announced, announced.Entry?.Status);
        Assert.True(applied.Accepted);
        Assert.Equal(CreditStatus.AppliedToInvoice, applied.Ledger.Find("acme", new YearMonth(2026, 3))?.Status);
        Assert.Equal("INV-2026-04-0042", applied.Entry?.InvoiceReference);
        Assert.Equal(CreditStatus.Computed, ledger.Find(key)?.Status); // the earlier ledger is untouched
    }

    [Fact]
    public void A_credit_cannot_be_applied_to_an_invoice_before_it_is_announced()
    {
        var ledger = CreditLedger.Empty.Record(Credit("acme", 3, 99.5m)).Ledger;

        var change = ledger.ApplyToInvoice("sla-credit-acme-2026-03", "INV-1", ClosedAt);

        Assert.Equal("credit-not-announced", change.Rejection?.Code);
        Assert.Same(ledger, change.Ledger);
    }

    [Fact]
    public void Announcing_or_applying_again_changes_nothing_but_another_invoice_is_refused()
    {
        const string key = "sla-credit-acme-2026-03";
        var ledger = CreditLedger.Empty.Record(Credit("acme", 3, 99.5m)).Ledger
            .Announce(key, ClosedAt).Ledger
            .ApplyToInvoice(key, "INV-1", ClosedAt).Ledger;

        Assert.Same(ledger, ledger.Announce(key, ClosedAt).Ledger);
        Assert.Same(ledger, ledger.ApplyToInvoice(key, "INV-1", ClosedAt).Ledger);
        Assert.Equal("credit-already-applied", ledger.ApplyToInvoice(key, "INV-2", ClosedAt).Rejection?.Code);
    }

    [Fact]
    public void Status_changes_for_an_unknown_credit_or_before_it_was_computed_are_refused()
    {
        var ledger = CreditLedger.Empty.Record(Credit("acme", 3, 99.5m)).Ledger;

        Assert.Equal("credit-not-found", ledger.Announce("sla-credit-acme-2026-02", ClosedAt).Rejection?.Code);
        Assert.Equal(
            "credit-announced-before-computed",
            ledger.Announce("sla-credit-acme-2026-03", ClosedAt - Duration.FromSeconds(1)).Rejection?.Code);
    }

    [Fact]
    public void A_stored_ledger_loads_from_its_entries_and_stays_idempotent()
    {
        var original = CreditLedger.Empty
            .Record(Credit("acme", 3, 99.5m)).Ledger
            .Record(Credit("acme", 4, 94.0m)).Ledger;

        var loaded = CreditLedger.FromEntries(original.Entries);

        Assert.Equal(original.Entries, loaded.Entries);
        Assert.True(loaded.Record(Credit("acme", 4, 99.95m)).WasDuplicate);
    }

    [Fact]
    public void A_stored_ledger_with_the_same_month_twice_is_rejected()
    {
        var entry = new CreditLedgerEntry(Credit("acme", 3, 99.5m), CreditStatus.Computed);

        var ex = Assert.ThrowsAny<ArgumentException>(() => CreditLedger.FromEntries([entry, entry]));

        Assert.Contains("sla-credit-acme-2026-03", ex.Message);
    }

    [Fact]
    public void An_entry_whose_fields_disagree_with_its_status_is_rejected()
    {
        var credit = Credit("acme", 3, 99.5m);

        Assert.Equal("announcedAt", Assert.ThrowsAny<ArgumentException>(() =>
            new CreditLedgerEntry(credit, CreditStatus.Announced)).ParamName);
        Assert.Equal("invoiceReference", Assert.ThrowsAny<ArgumentException>(() =>
            new CreditLedgerEntry(credit, CreditStatus.AppliedToInvoice, ClosedAt, ClosedAt)).ParamName);
        Assert.Equal("announcedAt", Assert.ThrowsAny<ArgumentException>(() =>
            new CreditLedgerEntry(credit, CreditStatus.Announced, ClosedAt - Duration.FromHours(1))).ParamName);
    }
}
