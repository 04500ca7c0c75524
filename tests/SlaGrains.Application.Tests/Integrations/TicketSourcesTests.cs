using SlaGrains.Application.Integrations;

namespace SlaGrains.Application.Tests.Integrations;

/// <summary>What every vendor source promises the pipeline that finds them by scanning.</summary>
public sealed class TicketSourcesTests
{
    private static readonly string[] OurStatuses = ["new", "open", "inProgress", "waitingOnCustomer", "onHold", "resolved", "closed"];
    private static readonly string[] OurPriorities = ["p1", "p2", "p3", "p4"];

    public static TheoryData<Type> Sources => new([typeof(ZendeskSource), typeof(JiraSource), typeof(ConnectWiseSource), typeof(HaloPsaSource), typeof(CsvSource)]);

    [Theory]
    [MemberData(nameof(Sources))]
    public void A_source_is_made_with_no_arguments_and_maps_its_defaults_onto_our_statuses_and_priorities(Type type)
    {
        var source = (ITicketSource)Activator.CreateInstance(type)!;

        Assert.All(source.DefaultStatuses.Values, status => Assert.Contains(status, OurStatuses));
        Assert.All(source.DefaultPriorities.Values, priority => Assert.Contains(priority, OurPriorities));
    }

    [Fact]
    public void The_sources_have_the_route_names_the_docs_give()
        => Assert.Equal(
            ["connectwise", "csv", "halopsa", "jira", "zendesk"],
            new ITicketSource[] { new ZendeskSource(), new JiraSource(), new ConnectWiseSource(), new HaloPsaSource(), new CsvSource() }.Select(s => s.Name).Order());

    [Fact]
    public void Default_mappings_ignore_case()
        => Assert.Equal("onHold", new ZendeskSource().DefaultStatuses["HOLD"]);
}
