using System.Collections.Immutable;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Application.Escalations;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Application.Customers;

/// <summary>
/// Changes to customers, for the API, the admin pages and the demo alike: creating one, and its contract, business
/// calendar, SLA tier with overrides and components (admins and managers). Each change is checked against its
/// bounds and the domain's constructors before the customer grain, whose reply means it is durable, takes it; a
/// change answers with the customer as the API shows it.
/// </summary>
[ApplicationService]
public sealed class CustomerCommands(IGrainFactory grains, ISlaNow clock, CustomerDirectory customers, CustomerQueries queries, Monitors.ContractNotice notices)
{
    /// <summary>Most components one customer has.</summary>
    public const int MaxComponents = 1_000;

    /// <summary>
    /// Adds a customer (admins and managers). An id that is taken is a conflict and changes nothing: the directory
    /// decides it atomically, so two creations racing for one id cannot rename the first.
    /// </summary>
    public async Task<Result<CustomerEntry>> Create(Caller caller, NewCustomerInput input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        if (!caller.ManagesContracts)
        {
            return Failure.Forbidden("Only admins and managers create customers.");
        }

        if (caller.IsRestricted)
        {
            return Failure.Forbidden("A key restricted to listed customers cannot create customers.");
        }

        var errors = new InputErrors();
        if (!Bounds.IsId(input.Id))
        {
            errors.Add("id", $"A customer id is required: 1–{Bounds.IdLength} letters, digits, '.', '-' or '_', e.g. acme-corp.");
        }

        var name = Bounds.Blank(input.Name);
        if (name is null)
        {
            errors.Add("name", "A customer needs a name.");
        }
        else if (name.Length > Bounds.NameLength || !Bounds.IsPrintable(name))
        {
            errors.Add("name", $"A name has at most {Bounds.NameLength} characters and no control characters.");
        }

        var group = Bounds.Blank(input.Group);
        if (group is not null && (group.Length > Bounds.NameLength || !Bounds.IsPrintable(group)))
        {
            errors.Add("group", $"A group has at most {Bounds.NameLength} characters and no control characters.");
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var entry = new CustomerEntry(input.Id!, name!, clock.Now, group);
        return await grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).Register(entry)
            ? entry
            : Failure.Conflict($"Customer '{entry.CustomerId}' already exists.");
    }

    /// <summary>
    /// Sets the contract: SLA target, SLO, fee and currency, credit schedule and cap, maintenance notice. Once it is
    /// committed, its maintenance notice is carried to the customer's monitors, which judge with it from then on whether
    /// maintenance was announced in time (see <see cref="Monitors.ContractNotice"/>).
    /// </summary>
    public async Task<Result<CustomerResponse>> SetContract(Caller caller, string customerId, ContractRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var saved = await Change(caller, customerId, errors => input.ToAgreement(customerId, errors) is { } agreement ? c => c.SetAgreement(agreement) : null);
        if (saved.Succeeded)
        {
            using var actor = Actor.Is(caller);
            await notices.ToMonitorsOf(customerId);
        }

        return saved;
    }

    /// <summary>Sets the business calendar; open tickets are re-targeted in it. Field names are JSON paths from <c>$</c>.</summary>
    public Task<Result<CustomerResponse>> SetCalendar(Caller caller, string customerId, CalendarInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Change(caller, customerId, errors => input.ToCalendar(errors, "$") is { } calendar ? c => c.SetCalendar(calendar) : null);
    }

    /// <summary>
    /// Sets the SLA tier and the customer's overrides (a priority not listed in <see cref="PolicyInput.Overrides"/>
    /// goes back to the tier); open tickets are re-targeted, keeping their elapsed time, and re-armed to the new
    /// warnings (those already passed never fire). A policy that no longer warns at a percent one of the customer's
    /// escalation rules fires at is invalid, naming the rule: a saved rule can always fire.
    /// </summary>
    public async Task<Result<CustomerResponse>> SetPolicy(Caller caller, string customerId, PolicyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var rules = await Managed(caller, customerId) is null ? [] : await grains.GetGrain<IEscalationGrain>(customerId).GetRules();
        return await Change(caller, customerId, errors => input.ToPolicy(errors) is var (tier, overrides) && KeepsRules(customerId, tier, overrides, rules, errors)
            ? async customer =>
            {
                var result = await customer.SetTier(tier);
                foreach (var priority in Enum.GetValues<TicketPriority>())
                {
                    if (!result.Accepted)
                    {
                        break;
                    }

                    result = overrides.TryGetValue(priority, out var targets) ? await customer.SetOverride(priority, targets) : await customer.ClearOverride(priority);
                }

                return result;
            }
            : null);
    }

    private static bool KeepsRules(string customerId, SlaPolicy tier, Dictionary<TicketPriority, PriorityTargets> overrides, ImmutableArray<EscalationRule> rules, InputErrors errors)
    {
        var policy = overrides.Aggregate(tier, (p, o) => p.WithOverride(o.Key, o.Value));
        EscalationRules.CheckPolicyKeepsRules(customerId, policy, overrides.Keys, rules, errors);
        return !errors.Any;
    }

    /// <summary>Sets which monitors make up the customer's service and which of them are critical.</summary>
    /// <remarks>
    /// A component is one of this customer's own monitors: a monitor of another customer, or none at all, is the same
    /// 400 naming the item, so the answer never tells whether another customer's monitor exists.
    /// </remarks>
    public async Task<Result<CustomerResponse>> SetComponents(Caller caller, string customerId, IReadOnlyList<ComponentInput?> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(caller);
        var owners = input.Count > MaxComponents || !caller.ManagesContracts
            ? new string?[input.Count]
            : await Task.WhenAll(input.Select(async c => Bounds.IsId(c?.MonitorId) ? (await grains.GetGrain<IMonitorGrain>(c.MonitorId).Get())?.Settings.CustomerId : null));
        return await Change(caller, customerId, errors =>
        {
            if (input.Count > MaxComponents)
            {
                errors.Add("$", $"A customer has at most {MaxComponents:N0} components.");
                return null;
            }

            for (var i = 0; i < input.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(input[i]?.MonitorId))
                {
                    errors.Add($"$[{i}].monitorId", "A component names its monitor.");
                }
                else if (!Bounds.IsId(input[i]!.MonitorId))
                {
                    errors.Add($"$[{i}].monitorId", Bounds.IdRule("A monitor id"));
                }
                else if (owners[i] != customerId)
                {
                    errors.Add($"$[{i}].monitorId", $"'{input[i]!.MonitorId}' is not one of this customer's monitors: create the monitor for this customer first.");
                }
                else if (input.Take(i).Any(c => c?.MonitorId == input[i]!.MonitorId))
                {
                    errors.Add($"$[{i}].monitorId", "A monitor is one component: it is listed twice.");
                }

                // Issue 20 — incidents linked to tickets: only a critical component's outage is the customer's outage.
                if (input[i] is { OpenTicketOnOutage: true, Critical: false })
                {
                    errors.Add($"$[{i}].openTicketOnOutage", "Only a critical component's outage opens a ticket: set critical too, or leave openTicketOnOutage out.");
                }
            }

            if (errors.Any)
            {
                return null;
            }

            ImmutableArray<CustomerComponent> components = [.. input.Select(c => new CustomerComponent(c!.MonitorId!, c.Critical, c.OpenTicketOnOutage))];
            return c => c.SetComponents(components);
        });
    }

    /// <summary>
    /// The customer when the caller may change its contract, calendar, policy, components, escalation rules, monitors
    /// and maintenance; otherwise null (then <see cref="Refusal"/> says why).
    /// </summary>
    internal async Task<CustomerEntry?> Managed(Caller caller, string customerId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.ManagesContracts ? await customers.FindAsync(caller, customerId) : null;
    }

    /// <summary>Why <see cref="Managed"/> gave null: not found when the caller may not see the customer (or it does not exist), else forbidden.</summary>
    internal async Task<Failure> Refusal(Caller caller, string customerId)
        => await customers.FindAsync(caller, customerId) is null
            ? Failure.NotFound($"Customer '{customerId}'")
            : Failure.Forbidden("Only admins and managers change contracts, calendars, policies and components.");

    /// <summary>
    /// One change of a customer's settings: who may (else not found or forbidden), the input turned into the grain call
    /// (null with the reasons in the errors: invalid), the call on behalf of the caller, then the customer as it is now.
    /// </summary>
    private async Task<Result<CustomerResponse>> Change(Caller caller, string customerId, Func<InputErrors, Func<ICustomerGrain, Task<CustomerResult>>?> prepare)
    {
        if (await Managed(caller, customerId) is not { } entry)
        {
            return await Refusal(caller, customerId);
        }

        var errors = new InputErrors();
        if (prepare(errors) is not { } apply)
        {
            return Failure.Invalid(errors);
        }

        using var actor = Actor.Is(caller);
        var result = await apply(grains.GetGrain<ICustomerGrain>(customerId));
        return result.Accepted ? await queries.Response(entry) : Failure.Rejected(result.Rejection!);
    }
}
