using SlaGrains.Application.Customers;

namespace SlaGrains.Application.Tests.Customers;

/// <summary>Issue 20 — exclusions: the contract's exclusion clauses are set, read back, kept by the form's request and bounded.</summary>
public sealed class ExclusionClausesTests(ApplicationWorld world) : IClassFixture<ApplicationWorld>
{
    private CustomerCommands Commands => world.Get<CustomerCommands>();

    private static ContractRequest Contract(params ExclusionClauseInput?[]? exclusions)
        => new(99.9m, null, 1000m, "EUR", null, null, null, Exclusions: exclusions is null ? null : [.. exclusions]);

    [Fact]
    public async Task Clauses_read_back_in_class_order_and_the_request_built_from_the_stored_contract_keeps_them()
    {
        var customer = await world.CustomerAsync();

        var saved = await Commands.SetContract(world.Manager, customer, Contract(
            new ExclusionClauseInput("third-party", false, "Carriers are ours."), new ExclusionClauseInput("forceMajeure", true, "  Acts of God.  ")));
        var stored = saved.Value!.Contract!;
        var again = await Commands.SetContract(world.Manager, customer, ContractRequest.From(stored));

        Assert.Equal(["forceMajeure", "thirdParty"], stored.Exclusions!.Select(e => e.Class));
        Assert.Equal("Acts of God.", stored.Exclusions![0].Clause);
        Assert.True(stored.Exclusions[0].Excluded);
        Assert.Equal(stored.Exclusions, again.Value!.Contract!.Exclusions);
    }

    [Fact]
    public async Task A_contract_without_clauses_excludes_nothing()
    {
        var customer = await world.CustomerAsync();

        var saved = await Commands.SetContract(world.Manager, customer, Contract(null));

        Assert.Empty(saved.Value!.Contract!.Exclusions!);
    }

    [Fact]
    public async Task More_clauses_than_classes_is_invalid_naming_exclusions_and_changes_nothing()
    {
        var customer = await world.CustomerAsync();
        Assert.True((await Commands.SetContract(world.Manager, customer, Contract(new ExclusionClauseInput("forceMajeure", true, "")))).Succeeded);

        var refused = await Commands.SetContract(world.Manager, customer, Contract(
            new("forceMajeure", true, ""), new("thirdParty", true, ""), new("customerCaused", true, ""), new("forceMajeure", false, "")));
        var nullRow = await Commands.SetContract(world.Manager, customer, Contract([null]));

        Assert.Equal(FailureKind.Invalid, refused.Failure!.Kind);
        Assert.True(refused.Failure.Errors!.ContainsKey("exclusions"));
        Assert.True(nullRow.Failure!.Errors!.ContainsKey("exclusions[0]"));
        var contract = (await world.Get<CustomerQueries>().Get(world.Manager, customer)).Value!.Contract!;
        Assert.Equal("forceMajeure", Assert.Single(contract.Exclusions!).Class);
    }
}
