using SlaGrains.Contracts.Customers;
using SlaGrains.Domain.StatusPages;
using SlaGrains.Grains.Shell;

namespace SlaGrains.Grains.StatusPages;

/// <summary>
/// The status pages by slug and by customer: a thin shell around <see cref="SlugClaims"/>. One grain decides who holds
/// a slug, so two admins racing for one slug cannot both get it; a claim is written before the call returns.
/// </summary>
public sealed class StatusPageDirectoryGrain([PersistentState("status-pages")] IPersistentState<StatusPageDirectoryState> state) : Grain, IStatusPageDirectoryGrain
{
    /// <inheritdoc />
    public async Task<bool> Claim(StatusPageEntry page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var pages = state.State.Pages;
        var slug = page.Settings.Slug;
        var decision = SlugClaims.Decide(pages.ToDictionary(p => p.Key, p => p.Value.CustomerId, StringComparer.Ordinal), slug, page.CustomerId);
        if (!decision.Accepted)
        {
            return false;
        }

        if (decision.Released.IsEmpty && pages.TryGetValue(slug, out var held) && held == page)
        {
            return true;
        }

        // The slug the customer held before is released in the same write.
        await GrainShell.CommitAsync(this, state, directory =>
        {
            foreach (var released in decision.Released)
            {
                directory.Pages.Remove(released);
            }

            directory.Pages[slug] = page;
        });
        return true;
    }

    /// <inheritdoc />
    public Task<StatusPageEntry?> FindEnabled(string slug)
        => Task.FromResult(state.State.Pages.TryGetValue(slug, out var page) && page.Settings.Enabled ? page : null);
}

/// <summary>The directory's durable state.</summary>
[GenerateSerializer]
[Alias("slagrains.status-page-directory-state")]
public sealed class StatusPageDirectoryState
{
    /// <summary>Pages by slug (slugs are lower case by rule; string keys compare ordinally).</summary>
    [Id(0)]
    public Dictionary<string, StatusPageEntry> Pages { get; set; } = [];
}
