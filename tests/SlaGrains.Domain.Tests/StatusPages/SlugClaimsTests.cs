using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SlaGrains.Domain.StatusPages;

namespace SlaGrains.Domain.Tests.StatusPages;

public class SlugClaimsTests
{
    private static readonly ImmutableDictionary<string, string> Nobody = ImmutableDictionary.Create<string, string>(StringComparer.Ordinal);

    [Fact]
    public void A_free_slug_goes_to_the_first_customer_who_claims_it()
    {
        var decision = SlugClaims.Decide(Nobody, "acme", "acme-corp");

        Assert.True(decision.Accepted);
        Assert.Empty(decision.Released);
        Assert.Equal("acme-corp", SlugClaims.Apply(Nobody, "acme", "acme-corp", decision)["acme"]);
    }

    [Fact]
    public void A_slug_another_customer_holds_is_refused_and_nothing_changes()
    {
        var holders = Nobody.Add("acme", "acme-corp");

        var decision = SlugClaims.Decide(holders, "acme", "globex");

        Assert.False(decision.Accepted);
        Assert.Equal("slug-taken", decision.Rejection!.Code);
        Assert.Same(holders, SlugClaims.Apply(holders, "acme", "globex", decision));
    }

    [Fact]
    public void Claiming_the_slug_it_already_holds_releases_nothing()
    {
        var holders = Nobody.Add("acme", "acme-corp");

        var decision = SlugClaims.Decide(holders, "acme", "acme-corp");

        Assert.True(decision.Accepted);
        Assert.Empty(decision.Released);
    }

    [Fact]
    public void A_new_slug_releases_the_customers_old_one_for_anyone_else()
    {
        var holders = Nobody.Add("acme", "acme-corp").Add("globex", "globex");

        var moved = SlugClaims.Decide(holders, "acme-status", "acme-corp");
        var after = SlugClaims.Apply(holders, "acme-status", "acme-corp", moved);

        Assert.Equal(new[] { "acme" }, moved.Released.ToArray());
        Assert.False(after.ContainsKey("acme"));
        Assert.True(SlugClaims.Decide(after, "acme", "globex").Accepted);
    }

    /// <summary>Any sequence of claims by a few customers over a few slugs.</summary>
    private static Gen<(string Slug, string Customer)[]> Claims =>
        from length in Gen.Choose(0, 30)
        from claims in Gen.ArrayOf(
            from slug in Gen.Elements("a-1", "b-2", "c-3", "d-4")
            from customer in Gen.Elements("x", "y", "z")
            select (slug, customer),
            length)
        select claims;

    [Property(MaxTest = 300)]
    public Property After_any_claims_each_slug_has_one_holder_each_customer_one_slug_and_a_refusal_changes_nothing()
        => Prop.ForAll(Claims.ToArbitrary(), claims =>
        {
            var holders = Nobody;
            foreach (var (slug, customer) in claims)
            {
                var decision = SlugClaims.Decide(holders, slug, customer);
                var heldBefore = holders.TryGetValue(slug, out var holder) ? holder : null;
                var next = SlugClaims.Apply(holders, slug, customer, decision);
                var consistent = decision.Accepted
                    ? (heldBefore is null || heldBefore == customer) && next[slug] == customer
                    : heldBefore is not null && heldBefore != customer && next == holders;
                if (!consistent || next.Values.GroupBy(c => c).Any(g => g.Count() > 1))
                {
                    return false;
                }

                holders = next;
            }

            return true;
        });
}
