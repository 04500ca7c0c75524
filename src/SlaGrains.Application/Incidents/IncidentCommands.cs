using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Incidents;
using SlaGrains.Domain.Monitors;

namespace SlaGrains.Application.Incidents;

/// <summary>
/// Incident updates and manual incidents. The service provider's staff (admins, managers, technicians) post updates
/// to any incident they can see and open manual incidents; a customer's own users read them but never post (403); an
/// incident or customer the caller may not see looks unknown (404). Bad input is a 400 naming the field, checked before
/// anything is looked up.
/// </summary>
[ApplicationService]
public sealed class IncidentCommands(IGrainFactory grains, IncidentQueries queries, CustomerDirectory customers)
{
    /// <summary>Most components one manual incident names.</summary>
    public const int MaxComponents = 100;

    private const string StaffOnly = "Incident updates and manual incidents come from the service provider's staff.";

    /// <summary>Posts an update to an incident (a monitor's or a manual one); answers the incident with its timeline.</summary>
    public async Task<Result<IncidentDetail>> PostUpdate(Caller caller, string incidentId, IncidentUpdateInput input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        var errors = new InputErrors();
        var status = Status(errors, input.Status, allowResolved: true);
        var message = Message(errors, input.Message);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        if (await queries.FindAsync(caller, incidentId) is not { } found)
        {
            return Failure.NotFound($"Incident '{incidentId}'");
        }

        if (!caller.IsStaff)
        {
            return Failure.Forbidden(StaffOnly);
        }

        using var actor = Actor.Is(caller);
        var posting = new IncidentUpdatePosting(found.CustomerId, found.Monitor?.Incident.MonitorId, status!.Value, message!, caller.Name);
        var result = await grains.GetGrain<IIncidentGrain>(incidentId).PostUpdate(posting);
        return result.Accepted ? await queries.Get(caller, incidentId) : Failure.Rejected(result.Rejection!);
    }

    /// <summary>
    /// Opens a manual incident for a customer: its title, the affected components (the customer's), its impact and the
    /// first update. Answers the incident with its timeline; it is resolved by a <c>resolved</c> update.
    /// </summary>
    public async Task<Result<IncidentDetail>> OpenManual(Caller caller, string customerId, NewIncidentInput input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        var errors = new InputErrors();
        var title = Bounds.Blank(input.Title);
        if (title is null)
        {
            errors.Add("title", "A manual incident needs a title, e.g. \"Login slow for some users\".");
        }
        else
        {
            Bounds.CheckName(errors, "title", title, IncidentTimeline.MaxTitle);
        }

        if (input.Components is not { Count: > 0 })
        {
            errors.Add("components", "Name at least one affected component (a monitor id of the customer's components).");
        }
        else if (Bounds.CheckList(errors, "components", input.Components, MaxComponents))
        {
            for (var i = 0; i < input.Components.Count; i++)
            {
                if (!Bounds.IsId(input.Components[i]))
                {
                    errors.Add($"components[{i}]", Bounds.IdRule("A component (monitor id)"));
                }
            }
        }

        var impact = IncidentWords.ParseImpact(input.Impact);
        if (impact is null)
        {
            errors.Add("impact", "The impact is degraded, partialOutage or majorOutage.");
        }

        var status = input.Status is null ? IncidentUpdateStatus.Investigating : Status(errors, input.Status, allowResolved: false);
        var message = Message(errors, input.Message);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        if (await customers.FindAsync(caller, customerId) is null)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        if (!caller.IsStaff)
        {
            return Failure.Forbidden(StaffOnly);
        }

        var owned = ((await grains.GetGrain<ICustomerGrain>(customerId).Get())?.Components ?? []).Select(c => c.MonitorId).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < input.Components!.Count; i++)
        {
            if (!owned.Contains(input.Components[i]!))
            {
                errors.Add($"components[{i}]", $"'{input.Components[i]}' is not one of the customer's components.");
            }
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        // A manual incident's id ends in ".m" and hex, never in "-{digits}" like a monitor's: the two never collide.
        var incidentId = $"{customerId}.m{Guid.NewGuid():N}"[..(customerId.Length + 14)];
        using var actor = Actor.Is(caller);
        var opening = new ManualIncidentOpening(customerId, title!, [.. input.Components.Select(c => c!)], impact!.Value, status!.Value, message!, caller.Name);
        var result = await grains.GetGrain<IIncidentGrain>(incidentId).OpenManual(opening);
        return result.Accepted ? await queries.Get(caller, incidentId) : Failure.Rejected(result.Rejection!);
    }

    private static IncidentUpdateStatus? Status(InputErrors errors, string? word, bool allowResolved)
    {
        var status = IncidentWords.ParseStatus(word);
        if (status is null)
        {
            errors.Add("status", allowResolved
                ? "The status is investigating, identified, monitoring or resolved."
                : "A manual incident opens investigating, identified or monitoring; a resolved update ends it.");
        }
        else if (!allowResolved && status == IncidentUpdateStatus.Resolved)
        {
            errors.Add("status", "A manual incident opens investigating, identified or monitoring; a resolved update ends it.");
            return null;
        }

        return status;
    }

    private static string? Message(InputErrors errors, string? text)
    {
        var message = Bounds.Blank(text);
        if (message is null)
        {
            errors.Add("message", "An update needs a message: what people should know.");
            return null;
        }

        return Bounds.CheckText(errors, "message", message, IncidentTimeline.MaxMessage) ? message : null;
    }
}
