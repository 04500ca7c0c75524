using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain.Availability;
using SlaGrains.Storage.Sqlite;
using SlaGrains.Storage.Tests.Sqlite;
using SlaGrains.Testing;

namespace SlaGrains.Storage.Tests.ReadModels;

/// <summary>A SQLite file written before budget alerts could be acknowledged (schema version 5) gains the columns and keeps its rows.</summary>
public sealed class BudgetAlertAcknowledgementMigrationTests
{
    [Fact]
    public async Task A_file_at_schema_version_5_gains_the_acknowledgement_columns_and_keeps_its_budget_alert_rows()
    {
        using var file = new TemporaryDatabase();
        var startedAt = Instant.FromUtc(2030, 1, 7, 12, 0);
        var alert = new BudgetAlertView(
            "m-old.page-fast.1", "m-old", "c", "API", "page-fast", AlertSeverity.Page, 14.4m,
            Duration.FromHours(1), Duration.FromMinutes(5), 500m, 1000m, startedAt, null);
        using (var first = await ConfiguredSilo.StartAsync($"--Storage:SqlitePath={file.Path}"))
        {
            await first.Services.GetRequiredService<IReadModelWriter>().WriteAsync(new ReadModelBatch([], []) { BudgetAlerts = [new BudgetAlertRow(alert, 1)] });
            await first.StopAsync();
        }

        // What a file written by the previous release looks like: version 5, budget_alerts without the acknowledgement, check_rollups without p99.
        SqliteReadModelTests.Execute(
            file.Path,
            "ALTER TABLE budget_alerts DROP COLUMN acknowledged_at; ALTER TABLE budget_alerts DROP COLUMN acknowledged_by; ALTER TABLE check_rollups DROP COLUMN response_p99; "
            + SqliteReadModelTests.DropChannelTables + SqliteReadModelTests.DropTicketIncidents + " DELETE FROM schema_version WHERE version > 5;");

        using var second = await ConfiguredSilo.StartAsync($"--Storage:SqlitePath={file.Path}");
        try
        {
            var kept = await second.Services.GetRequiredService<IMonitorReadModel>().BudgetAlertsAsync(["c"], firingOnly: false, 100);
            var acknowledged = new BudgetAlertRow(alert with { AcknowledgedAt = startedAt + Duration.FromMinutes(2), AcknowledgedBy = "erin" }, 2);
            await second.Services.GetRequiredService<IReadModelWriter>().WriteAsync(new ReadModelBatch([], []) { BudgetAlerts = [acknowledged] });

            Assert.Equal([new BudgetAlertRow(alert, 1)], kept);
            Assert.Equal([acknowledged], await second.Services.GetRequiredService<IMonitorReadModel>().BudgetAlertsAsync(["c"], firingOnly: false, 100));
            Assert.Equal(string.Join(",", Enumerable.Range(1, SqliteSchema.CurrentVersion)), SqliteReadModelTests.Execute(file.Path, "SELECT group_concat(version) FROM (SELECT version FROM schema_version ORDER BY version);"));
        }
        finally
        {
            await second.StopAsync();
        }
    }
}
