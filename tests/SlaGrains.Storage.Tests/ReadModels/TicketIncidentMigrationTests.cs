using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Tickets;
using SlaGrains.Storage.Sqlite;
using SlaGrains.Storage.Tests.Sqlite;
using SlaGrains.Testing;

namespace SlaGrains.Storage.Tests.ReadModels;

/// <summary>Issue 20: a SQLite file written before tickets were linked to incidents (schema version 10) gains <c>tickets.incident_id</c> and keeps its rows.</summary>
public sealed class TicketIncidentMigrationTests
{
    [Fact]
    public async Task A_file_at_schema_version_10_gains_the_incident_column_keeps_its_ticket_rows_and_links_them_from_the_next_write()
    {
        using var file = new TemporaryDatabase();
        var at = Instant.FromUtc(2030, 1, 7, 12, 0);
        var ticket = new TicketSummary("T-old", "c", TicketPriority.P2, TicketStatus.Open, "s", "r", null, null, false, at, null, null, [], at, 1);
        using (var first = await ConfiguredSilo.StartAsync($"--Storage:SqlitePath={file.Path}"))
        {
            await first.Services.GetRequiredService<IReadModelWriter>().WriteAsync(new ReadModelBatch([ticket], []));
            await first.StopAsync();
        }

        // What a file written by the previous release looks like: version 10, tickets without incident_id.
        SqliteReadModelTests.Execute(file.Path, SqliteReadModelTests.DropTicketIncidents + " DELETE FROM schema_version WHERE version > 10;");

        using var second = await ConfiguredSilo.StartAsync($"--Storage:SqlitePath={file.Path}");
        try
        {
            var reads = second.Services.GetRequiredService<ITicketReadModel>();
            var kept = await reads.FindAsync("T-old");
            await second.Services.GetRequiredService<IReadModelWriter>().WriteAsync(new ReadModelBatch([ticket with { IncidentId = "api-1", Version = 2 }], []));
            var linked = await reads.ListAsync(new TicketListQuery { Customers = ["c"], IncidentId = "api-1", Now = at });

            Assert.Equal(ticket, kept! with { Clocks = ticket.Clocks });
            Assert.Null(kept.IncidentId);
            Assert.Equal(["T-old"], linked.Items.Select(t => t.TicketId));
            Assert.Equal(string.Join(",", Enumerable.Range(1, SqliteSchema.CurrentVersion)), SqliteReadModelTests.Execute(file.Path, "SELECT group_concat(version) FROM (SELECT version FROM schema_version ORDER BY version);"));
        }
        finally
        {
            await second.StopAsync();
        }
    }
}
