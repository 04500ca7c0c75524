using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;

namespace SlaGrains.Application.Customers;

/// <summary>A new customer: its id, name and an optional account group (what manager reports filter by).</summary>
public sealed record NewCustomerInput(string? Id, string? Name, string? Group = null);

/// <summary>Changes to customers, for the API, the admin pages and the demo alike.</summary>
[ApplicationService]
public sealed class CustomerCommands(IGrainFactory grains, ISlaNow clock)
{
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
}
