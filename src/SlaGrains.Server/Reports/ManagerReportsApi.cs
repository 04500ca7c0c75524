using System.Security.Claims;
using System.Text;
using SlaGrains.Application.Reports;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Server.Api;

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

    private static async Task<IResult> Get(string? from, string? to, string? customer, string? group, string? tier, string? outcome, string? format, ClaimsPrincipal user, ManagerReports reports)
    {
        var result = await reports.Build(Caller.From(user), new ManagerReportInput(from, to, customer, group, tier, outcome, format));
        if (!result.Succeeded || format != "csv")
        {
            return ApiResults.Ok(result);
        }

        var report = result.Value;
        using var csv = new CsvText();
        csv.Row("customer", "name", "group", "tier", "commitment_pct", "months", "months_met", "lowest_month_pct", "incidents", "ticket_breaches",
            "first_response_compliance_pct", "resolution_compliance_pct", "credits", "monthly_fee", "currency",
            "tickets_opened", "tickets_linked_to_incidents", "sla_related_ticket_rate_pct");
        foreach (var c in report.Customers)
        {
            csv.Row(c.CustomerId, c.Name, c.Group, c.Tier, c.CommitmentPercent, c.Months, c.MonthsMet, c.LowestMonthPercent, c.Incidents, c.TicketBreaches,
                c.FirstResponseCompliancePercent, c.ResolutionCompliancePercent, c.Credits, c.MonthlyFee, c.Currency,
                c.TicketsOpened, c.TicketsLinkedToIncidents, c.SlaRelatedTicketRatePercent);
        }

        return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", $"sla-managers-{report.Filter.From:yyyy-MM}-{report.Filter.To:yyyy-MM}.csv");
    }

    private static async Task<IResult> InvoiceLines(string? month, string? format, ClaimsPrincipal user, ManagerReports reports)
    {
        var result = await reports.InvoiceLines(Caller.From(user), month, format);
        if (!result.Succeeded || format == "json")
        {
            return ApiResults.Ok(result);
        }

        using var csv = new CsvText();
        csv.Row("customer", "name", "group", "month", "availability_pct", "commitment_pct", "met", "monthly_fee", "credit_key", "credit_pct", "credit_amount", "currency", "credit_status", "adjusted_by_dispute", "description", "applied", "invoice_reference", "invoice_date");
        foreach (var l in result.Value)
        {
            csv.Row(l.CustomerId, l.Name, l.Group, l.Month, l.AvailabilityPercent, l.CommitmentPercent, l.Met, l.MonthlyFee, l.CreditKey, l.CreditPercent, l.CreditAmount, l.Currency, l.CreditStatus, l.AdjustedByDispute, l.Description, l.Applied, l.InvoiceReference, l.InvoiceDate);
        }

        return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", $"sla-invoice-lines-{month}.csv");
    }
}
