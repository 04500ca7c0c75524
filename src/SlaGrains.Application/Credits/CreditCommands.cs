using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Credits;
using SlaGrains.Contracts.Customers;
using SlaGrains.Domain;
using NodaTime.Text;
using SlaGrains.Domain.Credits;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Application.Credits;

/// <summary>
/// What people do with credits, for the API and the pages alike: the customer's own users mark its notices read and
/// dispute a closed month; admins and managers resolve disputes. The customer grain applies the domain's dispute rules
/// and its reply means the change is durable; a rejection about an input comes back as an invalid field.
/// </summary>
[ApplicationService]
public sealed class CreditCommands(IGrainFactory grains, CustomerDirectory customers)
{
    /// <summary>Whether the caller speaks for the customer (reads notices as its own, files disputes): its own users and keys, not staff.</summary>
    public static bool SpeaksFor(Caller caller, string customerId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsOwnCustomer(customerId);
    }

    /// <summary>Whether the caller resolves disputes: admins and managers.</summary>
    public static bool ResolvesDisputes(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.ManagesContracts;
    }

    /// <summary>The customer's own user marks a notice read; marking it again keeps the first reading.</summary>
    public async Task<Result<CreditNotice>> MarkNoticeRead(Caller caller, string customerId, string noticeId)
    {
        if (await Refused(caller, customerId, SpeaksFor(caller, customerId), "A notice is marked read by the customer it was sent to.") is { } refused)
        {
            return refused;
        }

        if (!Bounds.IsId(noticeId))
        {
            return Failure.NotFound($"Notice '{noticeId}'");
        }

        using var actor = Actor.Is(caller);
        var result = await grains.GetGrain<ICustomerGrain>(customerId).MarkNoticeRead(noticeId, caller.Name);
        return result.Notice is { } notice ? notice : Failure.Rejected(result.Rejection!);
    }

    /// <summary>
    /// The customer's own user disputes a closed month (once per month): the month and the claimed availability are
    /// required, the CSV must parse; the evidence kept is the text and the CSV together.
    /// </summary>
    public async Task<Result<CreditDisputeView>> FileDispute(Caller caller, string customerId, DisputeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (await Refused(caller, customerId, SpeaksFor(caller, customerId), "Disputes are filed by the customer.") is { } refused)
        {
            return refused;
        }

        var errors = new InputErrors();
        if (input.Month is null)
        {
            errors.Add("month", "The disputed month is required, e.g. 2026-03.");
        }
        else if (input.Month.Value.Year < Bounds.EarliestDate.Year || input.Month.Value.Year > Bounds.LatestDate.Year)
        {
            errors.Add("month", "A month is from 2000-01 to 2099-12.");
        }

        if (input.ClaimedAvailabilityPercent is null)
        {
            errors.Add("claimedAvailabilityPercent", "The availability you measured is required, a percentage such as 99.5.");
        }

        CheckText(errors, "evidence", input.Evidence);
        var csvCount = 0;
        if (CheckText(errors, "downIntervalsCsv", input.DownIntervalsCsv))
        {
            var (parsed, csvError) = CustomerDowntimeCsv.Parse(input.DownIntervalsCsv);
            if (csvError is not null)
            {
                errors.Add("downIntervalsCsv", csvError);
            }

            csvCount = parsed.Count;
        }

        var claimed = await ClaimedDowntime(errors, customerId, input, csvCount);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var (intervals, _) = CustomerDowntimeCsv.Parse(input.DownIntervalsCsv);
        intervals = [.. claimed, .. intervals];
        var evidence = string.Join("\n\n", new[] { input.Evidence, input.DownIntervalsCsv }.Where(t => !string.IsNullOrWhiteSpace(t)));
        using var actor = Actor.Is(caller);
        var result = await grains.GetGrain<ICustomerGrain>(customerId).FileDispute(
            new DisputeClaim(input.Month!.Value, input.ClaimedAvailabilityPercent!.Value, evidence, [.. intervals], caller.Name));
        return result.Accepted ? result.Dispute! : Rejected(result.Rejection!);
    }

    // Issue 20 — dispute analysis
    /// <summary>
    /// The claimed down intervals, checked: at most <see cref="DisputeComparison.MaxClaimedIntervals"/> with the CSV's,
    /// each with from before to and inside the disputed month in the customer's zone (errors name
    /// <c>claimedDowntime[i].from</c> or <c>.to</c>). A customer without a calendar has no closed month: the grain refuses it.
    /// </summary>
    private async Task<List<Interval>> ClaimedDowntime(InputErrors errors, string customerId, DisputeInput input, int csvCount)
    {
        var claimed = new List<Interval>();
        var items = input.ClaimedDowntime;
        if (items is null)
        {
            if (csvCount > DisputeComparison.MaxClaimedIntervals)
            {
                errors.Add("downIntervalsCsv", $"At most {DisputeComparison.MaxClaimedIntervals} down intervals.");
            }

            return claimed;
        }

        // A null item is named by CheckList; the others are still checked, so one answer names every bad interval.
        if (!Bounds.CheckList(errors, "claimedDowntime", items, DisputeComparison.MaxClaimedIntervals) && items.Count > DisputeComparison.MaxClaimedIntervals)
        {
            return claimed;
        }

        if (items.Count + csvCount > DisputeComparison.MaxClaimedIntervals)
        {
            errors.Add("downIntervalsCsv", $"At most {DisputeComparison.MaxClaimedIntervals} down intervals with claimedDowntime's {items.Count}.");
        }

        var zone = input.Month is not null && (await grains.GetGrain<ICustomerGrain>(customerId).Get())?.Calendar?.Zone is { } z ? z : null;
        var period = zone is null ? (Interval?)null : ReportingPeriod.Month(input.Month!.Value, zone);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not { } item)
            {
                continue;
            }

            var field = $"claimedDowntime[{i}]";
            var valid = Bounds.CheckInstant(errors, $"{field}.from", item.From) & Bounds.CheckInstant(errors, $"{field}.to", item.To);
            if (item.From is null)
            {
                errors.Add($"{field}.from", "When the claimed outage began is required, an ISO-8601 instant.");
                valid = false;
            }

            if (item.To is null)
            {
                errors.Add($"{field}.to", "When the claimed outage ended is required, an ISO-8601 instant.");
                valid = false;
            }

            if (!valid)
            {
                continue;
            }

            var interval = new Interval(item.From!.Value, item.To!.Value > item.From.Value ? item.To.Value : item.From.Value);
            if (item.To.Value <= item.From.Value)
            {
                errors.Add($"{field}.to", "A claimed down interval ends after it begins.");
            }
            else if (period is { } p && DisputeComparison.Problem(interval, p) is { } problem)
            {
                errors.Add(interval.Start < p.Start ? $"{field}.from" : $"{field}.to", problem);
            }
            else
            {
                claimed.Add(interval);
            }
        }

        return claimed;
    }

    /// <summary>
    /// An admin or manager resolves a filed dispute; the month's one credit gets an adjustment recomputed from the
    /// decided availability. A resolution is final.
    /// </summary>
    public async Task<Result<CreditDisputeView>> ResolveDispute(Caller caller, string customerId, string disputeId, DisputeRulingInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (await Refused(caller, customerId, ResolvesDisputes(caller), "Disputes are resolved by admins and managers.") is { } refused)
        {
            return refused;
        }

        var decision = input.Decision ?? (input.AvailabilityPercent is null ? null : DisputeVerdict.Adjust);
        if (decision is not { } verdict || !Enum.IsDefined(verdict))
        {
            return Failure.Invalid("decision", "Say how the dispute is resolved: accept, adjust (with availabilityPercent) or reject.");
        }

        var errors = new InputErrors();
        CheckText(errors, "note", input.Note);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        if (!Bounds.IsId(disputeId))
        {
            return Failure.NotFound($"Dispute '{disputeId}'");
        }

        using var actor = Actor.Is(caller);
        var result = await grains.GetGrain<ICustomerGrain>(customerId).ResolveDispute(disputeId, new DisputeRuling(verdict, input.AvailabilityPercent, input.Note, caller.Name));
        return result.Accepted ? result.Dispute! : Rejected(result.Rejection!);
    }

    /// <summary>Whether the caller writes back from billing: admins, managers and integration keys.</summary>
    public static bool WritesBackBilling(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.ManagesContracts || caller.IsIntegration;
    }

    /// <summary>
    /// Billing says the month's credit (<paramref name="month"/> as <c>yyyy-MM</c>) went on an invoice. Idempotent for the
    /// same invoice; another invoice is a 409; a month without a credit (not closed) is a 404.
    /// </summary>
    public async Task<Result<CreditEntry>> ApplyCredit(Caller caller, string customerId, string month, CreditAppliedInput input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        if (!WritesBackBilling(caller))
        {
            // Whoever may see the customer learns only that they may not do this; others learn nothing.
            return caller.CanRead(customerId) && await customers.ExistsAsync(customerId)
                ? Failure.Forbidden("Credits are marked applied by billing: admins, managers and integration keys.")
                : Failure.NotFound($"Customer '{customerId}'");
        }

        if (!caller.CanRead(customerId) || !await customers.ExistsAsync(customerId))
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        var errors = new InputErrors();
        var parsed = YearMonthPattern.Iso.Parse(month ?? string.Empty);
        if (!parsed.Success || parsed.Value.Year < Bounds.EarliestDate.Year || parsed.Value.Year > Bounds.LatestDate.Year)
        {
            errors.Add("month", "Name the month as yyyy-MM, from 2000-01 to 2099-12.");
        }

        if (string.IsNullOrWhiteSpace(input.InvoiceReference))
        {
            errors.Add("invoiceReference", "The invoice the credit was applied to is required, e.g. INV-2026-0113.");
        }
        else if (input.InvoiceReference.Trim().Length > InvoiceApplication.MaxReferenceLength || input.InvoiceReference.Any(char.IsControl))
        {
            errors.Add("invoiceReference", $"An invoice reference has at most {InvoiceApplication.MaxReferenceLength} characters and no control characters.");
        }

        if (input.InvoiceDate is not { } date)
        {
            errors.Add("invoiceDate", "The invoice's date is required, as yyyy-MM-dd.");
        }
        else if (date < Bounds.EarliestDate || date > Bounds.LatestDate)
        {
            errors.Add("invoiceDate", "An invoice date is from 2000-01-01 to 2099-12-31.");
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        using var actor = Actor.Is(caller);
        var result = await grains.GetGrain<ICustomerGrain>(customerId).ApplyCredit(parsed.Value, input.InvoiceReference!, input.InvoiceDate!.Value, caller.Name);
        return result.Rejection is null ? result.Credit! : Failure.Rejected(result.Rejection);
    }

    /// <summary>Not found when the caller may not see the customer (or it does not exist); forbidden when it may see but not act.</summary>
    private async Task<Failure?> Refused(Caller caller, string customerId, bool allowed, string forbidden)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await customers.FindAsync(caller, customerId) is null)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        return allowed ? null : Failure.Forbidden(forbidden);
    }

    /// <summary>A rejection of an input names its field (a 400); the rest stay the domain's (404, 409).</summary>
    private static Failure Rejected(Rejection rejection) => rejection.Code switch
    {
        "invalid-claimed-availability" => Failure.Invalid("claimedAvailabilityPercent", rejection.Message),
        "invalid-decided-availability" => Failure.Invalid("availabilityPercent", rejection.Message),
        "invalid-note" => Failure.Invalid("note", rejection.Message),
        _ => Failure.Rejected(rejection),
    };

    /// <summary>
    /// Free text of several lines (evidence, a CSV, a note): at most <see cref="Bounds.TextLength"/> characters and no
    /// control characters but line breaks and tabs. True when present and valid.
    /// </summary>
    private static bool CheckText(InputErrors errors, string field, string? text)
    {
        if (text is null)
        {
            return false;
        }

        return Bounds.CheckText(errors, field, text);
    }
}
