using System.Globalization;
using System.Security.Claims;
using System.Text;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Server.Api;
using SlaGrains.Server.Hosting;
using SlaGrains.Ui.Services;

namespace SlaGrains.Server.Reports;

/// <summary>
/// Reports for managers across customers: <c>GET /api/v1/reports/managers</c> (compliance, breaches, credits, root
/// causes, time to detect, renegotiation candidates) and <c>GET /api/v1/invoice-lines?month=</c> (a CSV for billing).
/// </summary>
internal static class ManagerReportsApi
{
    public static void MapManagerReportsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/reports/managers", Get).WithTags("Reports").Produces<ManagerReport>()
            .WithSummary("Across customers, over closed months from..to (yyyy-MM): filter by customer, group, tier and outcome=met|breached; format=json (default) or csv (one row per customer).");
        api.MapGet("/invoice-lines", InvoiceLines).WithTags("Reports").Produces<InvoiceLine[]>()
            .WithSummary("Per customer with month (yyyy-MM) closed: the compliance summary and the credit line for the billing system; format=csv (default) or json.");
    }

    private static async Task<IResult> Get(string? from, string? to, string? customer, string? group, string? tier, string? outcome, string? format, ClaimsPrincipal user, IGrainFactory grains, Contracts.ReadModels.ITicketReadModel tickets, SlaClock clock)
    {
        var caller = Caller.From(user);
        if (!caller.ManagesContracts)
        {
            return Problems.Forbidden("Manager reports are for managers and admins.");
        }

        var errors = new InputErrors();
        var lastClosed = clock.Now.InUtc().Date.ToYearMonth().PlusMonths(-1);
        var first = Month(from, "from", errors) ?? lastClosed.PlusMonths(-11);
        var last = Month(to, "to", errors) ?? lastClosed;
        if (first > last)
        {
            errors.Add("from", "The range starts after it ends.");
        }

        if (outcome is not (null or "met" or "breached"))
        {
            errors.Add("outcome", "The outcome is met or breached.");
        }

        if (format is not (null or "json" or "csv"))
        {
            errors.Add("format", "A manager report is json or csv.");
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        var report = await ManagerReports.BuildAsync(grains, tickets, caller, new ManagerReportFilter(first, last, customer, group, tier, outcome));
        if (format != "csv")
        {
            return Results.Ok(report);
        }

        using var csv = new CsvText();
        csv.Row("customer", "name", "group", "tier", "commitment_pct", "months", "months_met", "lowest_month_pct", "incidents", "ticket_breaches",
            "first_response_compliance_pct", "resolution_compliance_pct", "credits", "monthly_fee", "currency");
        foreach (var c in report.Customers)
        {
            csv.Row(c.CustomerId, c.Name, c.Group, c.Tier, c.CommitmentPercent, c.Months, c.MonthsMet, c.LowestMonthPercent, c.Incidents, c.TicketBreaches,
                c.FirstResponseCompliancePercent, c.ResolutionCompliancePercent, c.Credits, c.MonthlyFee, c.Currency);
        }

        return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", $"sla-managers-{first:yyyy-MM}-{last:yyyy-MM}.csv");
    }

    private static async Task<IResult> InvoiceLines(string? month, string? format, ClaimsPrincipal user, IGrainFactory grains)
    {
        var caller = Caller.From(user);
        if (!caller.ManagesContracts)
        {
            return Problems.Forbidden("Invoice lines are for managers and admins.");
        }

        var errors = new InputErrors();
        var parsed = Month(month, "month", errors);
        if (parsed is null && !errors.Any)
        {
            errors.Add("month", "Name the invoiced month as month=yyyy-MM.");
        }

        if (format is not (null or "json" or "csv"))
        {
            errors.Add("format", "Invoice lines are csv or json.");
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        var lines = await InvoiceLine.ForMonthAsync(grains, caller, parsed!.Value);
        if (format == "json")
        {
            return Results.Ok(lines);
        }

        using var csv = new CsvText();
        csv.Row("customer", "name", "group", "month", "availability_pct", "commitment_pct", "met", "monthly_fee", "credit_key", "credit_pct", "credit_amount", "currency", "credit_status", "adjusted_by_dispute", "description");
        foreach (var l in lines)
        {
            csv.Row(l.CustomerId, l.Name, l.Group, l.Month, l.AvailabilityPercent, l.CommitmentPercent, l.Met, l.MonthlyFee, l.CreditKey, l.CreditPercent, l.CreditAmount, l.Currency, l.CreditStatus, l.AdjustedByDispute, l.Description);
        }

        return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", $"sla-invoice-lines-{parsed:yyyy-MM}.csv");
    }

    private static YearMonth? Month(string? text, string field, InputErrors errors)
    {
        if (text is null)
        {
            return null;
        }

        var parsed = NodaTime.Text.YearMonthPattern.Iso.Parse(text);
        if (!parsed.Success)
        {
            errors.Add(field, $"'{text}' is not a month as yyyy-MM (e.g. 2026-10).");
            return null;
        }

        return parsed.Value;
    }
}

/// <summary>One customer's line on a month's invoice: the compliance summary and the SLA credit (zero when met; as a resolved dispute decided it, when one did).</summary>
public sealed record InvoiceLine(
    string CustomerId,
    string Name,
    string? Group,
    YearMonth Month,
    decimal AvailabilityPercent,
    decimal CommitmentPercent,
    bool Met,
    decimal MonthlyFee,
    string CreditKey,
    decimal CreditPercent,
    decimal CreditAmount,
    string Currency,
    string CreditStatus,
    string? AdjustedByDispute,
    string Description)
{
    /// <summary>The lines of every visible customer whose <paramref name="month"/> is closed, by customer id.</summary>
    public static async Task<IReadOnlyList<InvoiceLine>> ForMonthAsync(IGrainFactory grains, Caller caller, YearMonth month)
    {
        var visible = (await SlaReads.VisibleCustomersAsync(grains, caller)).ToHashSet(StringComparer.Ordinal);
        var lines = new List<InvoiceLine>();
        foreach (var entry in (await grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).List()).Where(e => visible.Contains(e.CustomerId)).OrderBy(e => e.CustomerId, StringComparer.Ordinal))
        {
            var customer = grains.GetGrain<ICustomerGrain>(entry.CustomerId);
            var closed = (await customer.GetHistory(int.MaxValue)).FirstOrDefault(h => h.Month == month);
            var credit = (await customer.GetCredits()).FirstOrDefault(c => c.Month == month);
            if (closed is null || credit is null || await customer.Get() is not { Agreement: { } agreement })
            {
                continue;
            }

            // A resolved dispute's recomputation is what is invoiced; the month keeps one credit.
            var name = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var percent = credit.Adjustment?.CreditPercent ?? credit.CreditPercent;
            var description = credit.EffectiveAmount > 0m
                ? string.Create(CultureInfo.InvariantCulture, $"SLA credit {name}: availability {credit.Adjustment?.DecidedAvailabilityPercent ?? closed.UptimePercent:0.0000} % against {closed.SlaTargetPercent} %, {percent} % of the monthly fee")
                : string.Create(CultureInfo.InvariantCulture, $"SLA {name}: availability {credit.Adjustment?.DecidedAvailabilityPercent ?? closed.UptimePercent:0.0000} % against {closed.SlaTargetPercent} %, no credit");
            description += credit.Adjustment is { } a ? $" (as decided on dispute {a.DisputeId})." : ".";
            lines.Add(new InvoiceLine(entry.CustomerId, entry.Name, entry.Group, month, closed.UptimePercent, closed.SlaTargetPercent, closed.SlaMet, agreement.MonthlyFee,
                credit.Key, percent, credit.EffectiveAmount, credit.Currency, credit.Status.ToString().ToLowerInvariant(), credit.Adjustment?.DisputeId, description));
        }

        return lines;
    }
}
