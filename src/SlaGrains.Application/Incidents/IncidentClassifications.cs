using System.Collections.Immutable;
using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Application.Incidents;

/// <summary>
/// Issue 20 — exclusions: reclassifying a monitor's incident, or a part <c>[from, to)</c> of it, to a cause the contract
/// names (customer-caused, force majeure, third-party), with a reason. Managers and admins reclassify; whoever may read
/// the customer reads them (customers see no staff names); a manual incident never counted against availability, so it
/// cannot be reclassified (409). Bad input is a 400 naming the field and changes nothing.
/// </summary>
/// <remarks>
/// A class the contract has no clause for may still be recorded: it is labelled and stays downtime, exactly like a class
/// the contract does not exclude — a manager can note the cause before the contract is amended.
/// </remarks>
[ApplicationService]
public sealed class IncidentClassifications(IGrainFactory grains, IncidentQueries queries, CustomerDirectory customers)
{
    private const string ManagersOnly = "Reclassifying downtime is a manager's or an admin's decision.";

    /// <summary>Reclassifies the incident (or the part given); answers the classification as recorded.</summary>
    public async Task<Result<IncidentClassificationDetail>> Reclassify(Caller caller, string incidentId, ClassificationInput input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        var errors = new InputErrors();
        var cause = ExclusionWords.Parse(input.Class);
        if (cause is null)
        {
            errors.Add("class", "The class is customerCaused, forceMajeure or thirdParty.");
        }

        var reason = Bounds.Blank(input.Reason);
        if (reason is null)
        {
            errors.Add("reason", "A reclassification needs a reason: why this time is not ours to count.");
        }
        else
        {
            Bounds.CheckText(errors, "reason", reason, Reclassification.MaxReason);
        }

        Bounds.CheckInstant(errors, "from", input.From);
        Bounds.CheckInstant(errors, "to", input.To);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        if (await queries.FindAsync(caller, incidentId) is not { } found)
        {
            return Failure.NotFound($"Incident '{incidentId}'");
        }

        if (!caller.ManagesContracts)
        {
            return Failure.Forbidden(ManagersOnly);
        }

        if (found.Monitor is not { } monitor)
        {
            return Failure.Conflict("A manual incident never counts against availability: only a monitor's outage can be reclassified.");
        }

        using var actor = Actor.Is(caller);
        var incident = monitor.Incident;
        var result = await grains.GetGrain<ICustomerGrain>(found.CustomerId).Reclassify(new IncidentReclassification(
            incidentId, incident.MonitorId, incident.Start, incident.End, cause!.Value, input.From, input.To, reason!, caller.Name));
        if (result.Field is { } field)
        {
            return Failure.Invalid(field, result.Rejection!.Message);
        }

        return result.Accepted ? Detail(caller, result.Classification!) : Failure.Rejected(result.Rejection!);
    }

    /// <summary>The incident's reclassifications, newest first.</summary>
    public async Task<Result<ImmutableArray<IncidentClassificationDetail>>> ForIncident(Caller caller, string incidentId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await queries.FindAsync(caller, incidentId) is not { } found)
        {
            return Failure.NotFound($"Incident '{incidentId}'");
        }

        return ImmutableArray.CreateRange((await grains.GetGrain<ICustomerGrain>(found.CustomerId).GetClassifications(incidentId)).Select(c => Detail(caller, c)));
    }

    /// <summary>Every reclassification of the customer's incidents, newest first.</summary>
    public async Task<Result<ImmutableArray<IncidentClassificationDetail>>> ForCustomer(Caller caller, string customerId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await customers.FindAsync(caller, customerId) is null)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        return ImmutableArray.CreateRange((await grains.GetGrain<ICustomerGrain>(customerId).GetClassifications(null)).Select(c => Detail(caller, c)));
    }

    /// <summary>A classification as readers get it (staff names for staff only).</summary>
    public static IncidentClassificationDetail Detail(Caller caller, IncidentClassificationView view)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(view);
        var label = ExclusionClause.Label(view.Class);
        var effect = view.Excluded
            ? $"Excluded from availability like announced maintenance: the contract excludes {label} time."
            : view.Clause is null
                ? $"Labelled only: the contract has no {label} clause, so the time stays downtime."
                : $"Labelled only: the time stays downtime (the contract does not exclude {label} time of this component).";
        return new IncidentClassificationDetail(
            view.Id, view.IncidentId, view.MonitorId, ExclusionWords.Word(view.Class), view.From, view.To, Math.Round((view.To - view.From).TotalMinutes, 2),
            view.Excluded, view.Clause, effect, view.Reason, caller.IsStaff ? view.By : null, view.At, view.AdjustedMonths.IsDefault ? [] : view.AdjustedMonths);
    }
}

/// <summary>
/// Issue 20 — exclusions: a reclassification to record: <c>class</c> (<c>customerCaused</c>, <c>forceMajeure</c>,
/// <c>thirdParty</c>), optionally the part <c>from</c>/<c>to</c> (ISO instants inside the incident; default: the whole
/// incident, up to now while it is ongoing) and the <c>reason</c> (required, up to 2,000 characters).
/// </summary>
public sealed record ClassificationInput(string? Class, Instant? From, Instant? To, string? Reason);

/// <summary>Issue 20 — exclusions: one reclassification of an incident, with its audit and effect.</summary>
/// <param name="Id">Its id, <c>{incident}.c{n}</c>.</param>
/// <param name="IncidentId">The incident.</param>
/// <param name="MonitorId">The incident's monitor.</param>
/// <param name="Class"><c>customerCaused</c>, <c>forceMajeure</c> or <c>thirdParty</c>.</param>
/// <param name="From">First instant reclassified.</param>
/// <param name="To">End (exclusive).</param>
/// <param name="Minutes">Its length in minutes.</param>
/// <param name="Excluded">True when the contract excludes it from availability (taken out like announced maintenance);
/// false when it stays downtime, labelled.</param>
/// <param name="Clause">The contract's clause for the class when recorded; null when it had none.</param>
/// <param name="Effect">What it does, in words.</param>
/// <param name="Reason">Why.</param>
/// <param name="By">Who reclassified it; null for readers who are not staff.</param>
/// <param name="At">When.</param>
/// <param name="AdjustedMonths">Closed months whose credit got a ledger adjustment for it (never rewritten).</param>
public sealed record IncidentClassificationDetail(
    string Id, string IncidentId, string MonitorId, string Class, Instant From, Instant To, double Minutes, bool Excluded, string? Clause, string Effect,
    string Reason, string? By, Instant At, ImmutableArray<YearMonth> AdjustedMonths);
