using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;

namespace SlaGrains.Application.StatusPages;

/// <summary>The body of <c>PUT /api/v1/customers/{id}/status-page</c>.</summary>
/// <param name="Slug">Required: see <see cref="StatusPageSlug"/>; unique across customers.</param>
/// <param name="Enabled">Required: true serves the page to anyone, false answers 404 as for an unknown slug.</param>
/// <param name="ShowAvailability">Optional, default false: anonymous visitors also see this month's availability against the commitment.</param>
public sealed record StatusPageInput(string? Slug, bool? Enabled, bool? ShowAvailability);

/// <summary>A customer's status-page setting as the API and the admin page show it.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Slug">The slug; null until one is set.</param>
/// <param name="Enabled">Whether anyone may see the page.</param>
/// <param name="ShowAvailability">Whether anonymous visitors see this month's availability against the commitment.</param>
/// <param name="Path">The page's path (<c>/status-pages/{slug}</c>) once a slug is set, enabled or not; else null.</param>
public sealed record StatusPageSettingsView(string CustomerId, string? Slug, bool Enabled, bool ShowAvailability, string? Path);

/// <summary>
/// Turning a customer's public status page on and off. Anyone who may see the customer reads the setting (the page is
/// public once enabled anyway); only admins change it, as the issue asks ("an admin turns on a page").
/// </summary>
/// <remarks>
/// The directory decides the slug first (atomically: two customers racing for one slug cannot both get it; a taken
/// slug is 409 naming the slug and changes nothing), then the customer keeps the setting. Should the customer's write
/// fail after the claim, the directory is ahead — it already serves or hides the page as asked — and the next PUT
/// brings the customer's record level; the caller got an error and retries. A disabled page keeps its slug reserved, so
/// turning it on again gives the same address.
/// </remarks>
[ApplicationService]
public sealed class StatusPageSettingsCommands(IGrainFactory grains, CustomerDirectory customers, PublicStatusPages pages)
{
    private IStatusPageDirectoryGrain Directory => grains.GetGrain<IStatusPageDirectoryGrain>(IStatusPageDirectoryGrain.Key);

    /// <summary>The setting; not found when the customer does not exist or the caller may not see it.</summary>
    public async Task<Result<StatusPageSettingsView>> Get(Caller caller, string customerId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await customers.FindAsync(caller, customerId) is null)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        return View(customerId, await grains.GetGrain<ICustomerStatusPageGrain>(customerId).GetStatusPage());
    }

    /// <summary>
    /// Sets the page (admins): 404 for a customer the caller cannot see, 403 for anyone but an admin, 400 naming
    /// <c>slug</c> or <c>enabled</c>, 409 when another customer holds the slug.
    /// </summary>
    public async Task<Result<StatusPageSettingsView>> Set(Caller caller, string customerId, StatusPageInput input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        if (await customers.FindAsync(caller, customerId) is null)
        {
            return Failure.NotFound($"Customer '{customerId}'");
        }

        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins turn public status pages on or off.");
        }

        var errors = new InputErrors();
        if (string.IsNullOrWhiteSpace(input.Slug))
        {
            errors.Add("slug", $"A status page needs a slug, its address /status-pages/{{slug}}. {StatusPageSlug.Rule}");
        }
        else if (!StatusPageSlug.IsSlug(input.Slug))
        {
            errors.Add("slug", StatusPageSlug.Rule);
        }

        if (input.Enabled is null)
        {
            errors.Add("enabled", "Say whether the page is on: true or false.");
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var settings = new StatusPageSettings(input.Slug!, input.Enabled!.Value, input.ShowAvailability ?? false);
        using var actor = Actor.Is(caller);
        if (!await Directory.Claim(new StatusPageEntry(customerId, settings)))
        {
            return Failure.Conflict($"The slug '{settings.Slug}' is taken by another customer's status page: choose another slug.");
        }

        var previous = await grains.GetGrain<ICustomerStatusPageGrain>(customerId).SetStatusPage(settings);

        // This front-end shows the change at once; others within their cache's few seconds.
        pages.Forget(settings.Slug);
        if (previous is { } old)
        {
            pages.Forget(old.Slug);
        }

        return View(customerId, settings);
    }

    private static StatusPageSettingsView View(string customerId, StatusPageSettings? settings)
        => settings is null
            ? new(customerId, null, false, false, null)
            : new(customerId, settings.Slug, settings.Enabled, settings.ShowAvailability, StatusPageSlug.PathOf(settings.Slug));
}
