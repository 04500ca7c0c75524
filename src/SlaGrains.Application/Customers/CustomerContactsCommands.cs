using System.Collections.Immutable;
using SlaGrains.Application.Channels;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Channels;
using SlaGrains.Contracts.Customers;

namespace SlaGrains.Application.Customers;

/// <summary>One contact in <c>PUT /api/v1/customers/{id}/contacts</c>.</summary>
/// <param name="Name">Optional: who it is, at most 200 characters.</param>
/// <param name="Email">Required: a bare address, unique among the customer's contacts.</param>
/// <param name="CreditNotices">Optional, default true: gets credit notices.</param>
/// <param name="Maintenance">Optional, default true: gets maintenance announcements.</param>
/// <param name="MonthlyStatement">Optional, default true: gets the monthly SLA statement.</param>
public sealed record ContactInput(string? Name, string? Email, bool? CreditNotices = null, bool? Maintenance = null, bool? MonthlyStatement = null);

/// <summary>The body of <c>PUT /api/v1/customers/{id}/contacts</c>: the whole list (an empty list removes every contact).</summary>
/// <param name="Contacts">At most <see cref="ICustomerContactsGrain.MaxContacts"/> contacts.</param>
public sealed record ContactsInput(IReadOnlyList<ContactInput?>? Contacts);

/// <summary>A customer's contacts as the API and the customer page show them.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Contacts">The contacts, in the order they were set.</param>
public sealed record ContactsView(string CustomerId, ImmutableArray<CustomerContact> Contacts);

/// <summary>What a one-click unsubscribe link says, as its page shows it before the button is pressed.</summary>
/// <param name="CustomerName">The customer the mail is from.</param>
/// <param name="Email">The contact's address.</param>
/// <param name="Kind">The kind of mail it stops.</param>
public sealed record ContactUnsubscribeView(string CustomerName, string Email, ContactMailKind Kind);

/// <summary>
/// A customer's contacts: the people told by mail of credit notices, maintenance and the monthly statement. Anyone who
/// may see the customer reads them (a customer's own users too, never another customer's); admins and managers change
/// them, as they change the customer's contract. The one-click unsubscribe of the mail needs no sign-in: the signed token
/// is the proof, and it only ever turns one kind of mail off for one address.
/// </summary>
[ApplicationService]
public sealed class CustomerContactsCommands(IGrainFactory grains, CustomerDirectory customers)
{
    /// <summary>The contacts; not found when the customer does not exist or the caller may not see it.</summary>
    public async Task<Result<ContactsView>> Get(Caller caller, string customerId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return await customers.FindAsync(caller, customerId) is { } entry
            ? new ContactsView(entry.CustomerId, await grains.GetGrain<ICustomerContactsGrain>(entry.CustomerId).GetContacts())
            : Failure.NotFound($"Customer '{customerId}'");
    }

    /// <summary>
    /// Replaces the contacts (admins and managers): 404 for a customer the caller cannot see, 403 for others, 400 naming
    /// the field (<c>contacts</c>, <c>contacts[1].email</c>, <c>contacts[0].name</c>) for a list that is not one.
    /// </summary>
    public async Task<Result<ContactsView>> Set(Caller caller, string customerId, ContactsInput input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        if (await customers.FindAsync(caller, customerId) is not { } entry)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        if (!caller.ManagesContracts)
        {
            return Failure.Forbidden("Only admins and managers change a customer's contacts.");
        }

        var errors = new InputErrors();
        if (input.Contacts is null)
        {
            errors.Add("contacts", $"Give the whole list of contacts (at most {ICustomerContactsGrain.MaxContacts}); an empty list removes them all.");
            return Failure.Invalid(errors);
        }

        if (!Bounds.CheckList(errors, "contacts", input.Contacts, ICustomerContactsGrain.MaxContacts))
        {
            return Failure.Invalid(errors);
        }

        var contacts = new List<CustomerContact>();
        for (var i = 0; i < input.Contacts.Count; i++)
        {
            var item = input.Contacts[i]!;
            var field = $"contacts[{i}]";
            Bounds.CheckName(errors, $"{field}.name", item.Name);
            if (item.Email is null)
            {
                errors.Add($"{field}.email", "A contact needs an email address. " + EmailAddresses.Rule);
                continue;
            }

            if (EmailAddresses.Check(errors, $"{field}.email", item.Email) is not { } email)
            {
                continue;
            }

            if (contacts.Any(c => c.Is(email)))
            {
                errors.Add($"{field}.email", $"'{email}' is listed twice: a contact is one address.");
                continue;
            }

            contacts.Add(new CustomerContact(item.Name?.Trim() ?? string.Empty, email, item.CreditNotices ?? true, item.Maintenance ?? true, item.MonthlyStatement ?? true));
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        using var actor = Actor.Is(caller);
        var grain = grains.GetGrain<ICustomerContactsGrain>(entry.CustomerId);
        await grain.SetContacts([.. contacts]);
        return new ContactsView(entry.CustomerId, await grain.GetContacts());
    }

    /// <summary>
    /// What <paramref name="token"/> would unsubscribe, without changing anything (the page a GET shows: mail scanners
    /// fetch links, so a GET never acts). Invalid when the token is not ours for this purpose; not found when its
    /// customer or contact is gone.
    /// </summary>
    public async Task<Result<ContactUnsubscribeView>> Preview(string? token)
    {
        if (await Read(token) is not { } request)
        {
            return Failure.Invalid("token", "This unsubscribe link is not valid: use the link from the email as it came.");
        }

        var entry = await grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).Find(request.CustomerId);
        var contacts = entry is null ? [] : await grains.GetGrain<ICustomerContactsGrain>(request.CustomerId).GetContacts();
        return entry is not null && contacts.Any(c => c.Is(request.Email))
            ? new ContactUnsubscribeView(entry.Name, request.Email, request.Kind)
            : Failure.NotFound("The contact of this link");
    }

    /// <summary>
    /// Turns the token's kind of mail off for its contact (the RFC 8058 one-click POST, or the page's button). Invalid
    /// when the token is not ours for this purpose (nothing changes); not found when its customer or contact is gone.
    /// Unsubscribing twice is fine.
    /// </summary>
    public async Task<Result<ContactUnsubscribeView>> Unsubscribe(string? token)
    {
        if (await Read(token) is not { } request)
        {
            return Failure.Invalid("token", "This unsubscribe link is not valid: use the link from the email as it came.");
        }

        var entry = await grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).Find(request.CustomerId);
        return entry is not null && await grains.GetGrain<ICustomerContactsGrain>(request.CustomerId).Unsubscribe(request.Email, request.Kind)
            ? new ContactUnsubscribeView(entry.Name, request.Email, request.Kind)
            : Failure.NotFound("The contact of this link");
    }

    private async Task<ContactUnsubscribe.Request?> Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > SignedTokens.MaxLength)
        {
            return null;
        }

        var key = await grains.GetGrain<ISigningKeyGrain>(ISigningKeyGrain.Key).Secret();
        return ContactUnsubscribe.Parse(SignedTokens.TryRead(key.AsSpan(), ContactUnsubscribe.Purpose, token)) is { } request && Bounds.IsId(request.CustomerId)
            ? request
            : null;
    }
}
