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

    public static TheoryData<Type, string> GarbageBodies()
    {
        var data = new TheoryData<Type, string>();
        string[] bodies =
        [
            "null", "[]", "\"ticket\"", "42", "{}", "[{}]", "{\"ticket\": []}", "{\"type\": 7}", "{\"Entity\": {}, \"Action\": \"added\"}",
            "{\"webhookEvent\": \"jira:issue_updated\", \"timestamp\": 1.5, \"issue\": {\"key\": {}}}",
            "{\"ticket\": {\"id\": \"1\", \"dateoccurred\": \"9999-99-99\"}}",
            "{\"type\": \"zen:event-type:ticket.created\", \"id\": \"\\u0000\", \"time\": \"2026-03-02T10:00:00Z\"}",
            "{\"Action\": \"updated\", \"Entity\": \"[1, 2]\"}",
        ];
        foreach (var type in new[] { typeof(ZendeskSource), typeof(JiraSource), typeof(ConnectWiseSource), typeof(HaloPsaSource) })
        {
            foreach (var body in bodies)
            {
                data.Add(type, body);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GarbageBodies))]
    public void A_json_source_answers_any_json_with_events_or_a_400_never_an_exception(Type type, string body)
    {
        var source = (ITicketSource)Activator.CreateInstance(type)!;

        var result = source.Read(SourceSamples.Request(body));

        Assert.True(result.Succeeded || result.Failure.Kind == FailureKind.Invalid);
    }

    [Theory]
    [InlineData(typeof(ZendeskSource))]
    [InlineData(typeof(JiraSource))]
    [InlineData(typeof(ConnectWiseSource))]
    [InlineData(typeof(HaloPsaSource))]
    public void Empty_too_deep_too_large_or_broken_json_is_invalid(Type type)
    {
        var source = (ITicketSource)Activator.CreateInstance(type)!;
        string[] bodies = ["", new string('[', 100) + new string(']', 100), "{\"ticket\": \"" + new string('x', 1_100_000) + "\"}", "{\"ticket\": "];

        Assert.All(bodies, body => Assert.Equal(FailureKind.Invalid, source.Read(SourceSamples.Request(body)).Failure?.Kind));
    }

    [Fact]
    public void A_csv_file_of_bad_rows_reports_the_first_fifty()
    {
        var rows = string.Concat(Enumerable.Range(0, 200).Select(_ => "INC-1,e,opened,2026-03-02T09:15:04Z\r\n"));

        var fields = SourceSamples.Fields(new CsvSource(), SourceSamples.Request(SourceSamples.Utf8("ticketId,eventId,type,at\r\n" + rows), contentType: "text/csv"));

        Assert.Equal(CsvSource.MaxErrors, fields.Count);
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
