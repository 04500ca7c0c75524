using SlaGrains.Application.Integrations;
using static SlaGrains.Application.Tests.Integrations.SourceSamples;

namespace SlaGrains.Application.Tests.Integrations;

/// <summary>CSV import (RFC 4180, https://www.rfc-editor.org/rfc/rfc4180): tickets with their history, one row per event.</summary>
public sealed class CsvSourceTests
{
    private const string Header = "ticketId,eventId,type,at,customer,status,priority,subject,team,assignee\r\n";
    private readonly CsvSource _source = new();

    private static IntegrationRequest Csv(string text) => Request(Utf8(text), contentType: "text/csv; charset=utf-8");

    [Fact]
    public void Each_row_is_one_event_with_quoted_commas_and_doubled_quotes_read_as_written()
    {
        var events = Events(_source, Csv(Text("tickets.csv")));

        Assert.Equal(
            [TicketEventTypes.Created, TicketEventTypes.Assigned, TicketEventTypes.Status, TicketEventTypes.CustomerReply, TicketEventTypes.Status],
            events.Select(e => e.Type));
        Assert.Equal(new ExternalTicketEvent(
            "e1", "INC-1", TicketEventTypes.Created, At("2026-03-02T09:15:04Z"), Organisation: "acme", Status: "new",
            Priority: "p2", Subject: "Printer offline, floor 2"), events[0]);
        Assert.Equal(("Network", "Jo \"JJ\" Smith"), (events[1].Team, events[1].Assignee));
        Assert.Equal(At("2026-03-02T12:00:00Z"), events[4].At);
    }

    [Fact]
    public void A_row_without_an_event_id_gets_one_that_a_re_import_repeats()
    {
        var first = Events(_source, Csv(Text("tickets.csv")))[3].EventId;
        var again = Events(_source, Csv(Text("tickets.csv")))[3].EventId;

        Assert.StartsWith("h:", first, StringComparison.Ordinal);
        Assert.Equal(first, again);
    }

    [Fact]
    public void Each_bad_row_is_named_by_row_and_column_counting_the_header_as_row_1()
    {
        var fields = Fields(_source, Csv(Header
            + "INC-1,e1,created,yesterday,acme,new,p2,Printer,,\r\n"
            + "INC-1,e2,opened,2026-03-02T09:20:00Z,acme,,,,,\r\n"
            + "INC-1,e3,status,2026-03-02T09:45:00Z,acme,,,,,\r\n"));

        Assert.Equal(["row 2, column at", "row 3, column type", "row 4, column status"], fields.Order());
    }

    [Fact]
    public void A_row_with_too_few_fields_is_named()
        => Assert.Equal(["row 2"], Fields(_source, Csv(Header + "INC-1,e1,created\r\n")));

    [Fact]
    public void A_quote_never_closed_is_named_by_its_row()
        => Assert.Equal(["row 3"], Fields(_source, Csv(Header + "INC-1,e1,created,2026-03-02T09:15:04Z,acme,new,p2,x,,\r\nINC-1,e2,status,2026-03-02T09:45:00Z,acme,\"open,,,,\r\n")));

    [Fact]
    public void A_header_without_the_required_columns_names_each()
        => Assert.Equal(["row 1, column at", "row 1, column type"], Fields(_source, Csv("ticketId,status\r\nINC-1,open\r\n")).Order());

    [Fact]
    public void An_unknown_column_is_named()
        => Assert.Contains("row 1, column colour", Fields(_source, Csv("ticketId,type,at,colour\r\n")));

    [Fact]
    public void A_field_longer_than_its_bound_is_named()
        => Assert.Equal(["row 2, column subject"], Fields(_source, Csv(Header + $"INC-1,e1,created,2026-03-02T09:15:04Z,acme,new,p2,{new string('x', Bounds.SubjectLength + 1)},,\r\n")));

    [Fact]
    public void Lf_line_endings_and_a_trailing_blank_line_are_read()
        => Assert.Single(Events(_source, Csv(Header.Replace("\r\n", "\n", StringComparison.Ordinal) + "INC-1,e1,closed,2026-03-02T09:15:04Z,acme,,,,,\n\n")));

    [Fact]
    public void Another_content_type_is_invalid()
        => Assert.Contains("Content-Type", Fields(_source, Request(Utf8(Text("tickets.csv")), contentType: "application/json")));

    [Fact]
    public void An_empty_file_is_invalid_at_row_1()
        => Assert.Equal(["row 1"], Fields(_source, Csv(string.Empty)));

    [Fact]
    public void The_csv_source_has_no_signature_so_it_takes_no_secret()
    {
        Assert.Null(_source.VerifySignature(Csv(Header), null, At("2026-03-02T10:00:00Z")));
        Assert.NotNull(_source.VerifySignature(Csv(Header), "anything", At("2026-03-02T10:00:00Z")));
    }
}
