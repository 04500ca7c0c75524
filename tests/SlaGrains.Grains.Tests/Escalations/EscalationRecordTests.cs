using Orleans.Storage;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain.Tickets;
using SlaGrains.Grains.Escalations;

namespace SlaGrains.Grains.Tests.Escalations;

/// <summary>Every escalation is its own record and row: no cap on the log, acknowledgements in the table, old logs moved.</summary>
public sealed class EscalationRecordTests(OneSiloClusterFixture fixture) : IClassFixture<OneSiloClusterFixture>
{
    private readonly SqliteCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task More_escalations_than_the_old_log_held_are_all_in_the_table_newest_first()
    {
        var customer = $"customer-{Guid.NewGuid():N}";
        var escalations = _cluster.Grains.GetGrain<IEscalationGrain>(customer);
        await escalations.SetRules([new EscalationRule("breach", SlaMetric.Resolution, 100, EscalationActionKind.Notify, "managers")]);
        var start = Instant.FromUtc(2026, 11, 23, 10, 0);

        foreach (var batch in Enumerable.Range(0, 1_050).Chunk(150))
        {
            await Task.WhenAll(batch.Select(i => escalations.Raise(Alert(customer, $"ticket-{i:D4}", start + Duration.FromSeconds(i)))));
        }

        var inbox = _cluster.Service<IEscalationReadModel>();
        var first = await inbox.ListAsync(new EscalationListQuery { Customers = [customer], PageSize = 500, IncludeTotal = true, TotalCap = 5_000 });
        var seen = first.Items.Select(e => e.EscalationId).ToList();
        for (var cursor = first.NextCursor; cursor is not null;)
        {
            var page = await inbox.ListAsync(new EscalationListQuery { Customers = [customer], PageSize = 500, After = cursor });
            seen.AddRange(page.Items.Select(e => e.EscalationId));
            cursor = page.NextCursor;
        }

        Assert.Equal(1_050, first.Total);
        Assert.Equal(1_050, seen.Distinct().Count());
        Assert.True(first.Items[0].RaisedAt >= first.Items[^1].RaisedAt);
    }

    [Fact]
    public async Task An_acknowledgement_is_kept_once_and_shows_in_the_table()
    {
        var customer = $"customer-{Guid.NewGuid():N}";
        var escalations = _cluster.Grains.GetGrain<IEscalationGrain>(customer);
        await escalations.SetRules([new EscalationRule("breach", SlaMetric.Resolution, 100, EscalationActionKind.Notify, "managers")]);
        var raised = await escalations.Raise(Alert(customer, "ticket-ack", Instant.FromUtc(2026, 11, 23, 10, 0)));

        Assert.True(await escalations.Acknowledge(raised.EscalationId, "erin"));
        Assert.True(await escalations.Acknowledge(raised.EscalationId, "otto"));
        Assert.False(await _cluster.Grains.GetGrain<IEscalationGrain>("another-customer").Acknowledge(raised.EscalationId, "eve"));

        var row = await _cluster.Service<IEscalationReadModel>().FindAsync(raised.EscalationId);
        Assert.Equal("erin", row!.AcknowledgedBy);
    }

    [Fact]
    public async Task An_escalation_whose_row_was_deleted_is_found_stale_and_writes_it_again()
    {
        var customer = $"customer-{Guid.NewGuid():N}";
        var escalations = _cluster.Grains.GetGrain<IEscalationGrain>(customer);
        await escalations.SetRules([new EscalationRule("breach", SlaMetric.Resolution, 100, EscalationActionKind.Notify, "managers")]);
        var raised = await escalations.Raise(Alert(customer, $"ticket-{Guid.NewGuid():N}", Instant.FromUtc(2026, 11, 23, 10, 0)));
        var maintenance = _cluster.Service<IReadModelMaintenance>();

        await maintenance.ClearAsync();
        var stale = await maintenance.StaleEscalationsAsync(null, 10_000);
        var rewritten = await _cluster.Grains.GetGrain<IEscalationRecordGrain>(raised.EscalationId).RefreshReadModel();

        Assert.Contains(raised.EscalationId, stale);
        Assert.True(rewritten);
        Assert.Equal(raised.Actions.ToArray(), (await _cluster.Service<IEscalationReadModel>().FindAsync(raised.EscalationId))!.Actions.ToArray());
        Assert.DoesNotContain(raised.EscalationId, await maintenance.StaleEscalationsAsync(null, 10_000));
    }

    [Fact]
    public async Task An_alert_that_matches_no_rule_is_no_escalation_and_leaves_no_row()
    {
        var customer = $"customer-{Guid.NewGuid():N}";
        var escalations = _cluster.Grains.GetGrain<IEscalationGrain>(customer);
        await escalations.SetRules([new EscalationRule("breach", SlaMetric.Resolution, 100, EscalationActionKind.Notify, "managers")]);

        var warning = await escalations.Raise(Alert(customer, "ticket-warn", Instant.FromUtc(2026, 11, 23, 10, 0)) with { Percent = 75 });

        Assert.Empty(warning.Actions);
        Assert.Null(await _cluster.Service<IEscalationReadModel>().FindAsync(warning.EscalationId));
    }

    [Fact]
    public async Task A_log_kept_by_an_older_version_moves_into_records_and_rows_when_the_grain_activates()
    {
        var customer = $"customer-{Guid.NewGuid():N}";
        var at = Instant.FromUtc(2026, 10, 1, 9, 0);
        var old = new EscalationView("old-ticket/Resolution/100/1", Alert(customer, "old-ticket", at), ["notify managers"], at, "erin", at + Duration.FromMinutes(3));
        var legacy = new EscalationState { Rules = [new EscalationRule("breach", SlaMetric.Resolution, 100, EscalationActionKind.Notify, "managers")], Log = [old] };
        var storage = _cluster.KeyedService<IGrainStorage>(Orleans.Providers.ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        await storage.WriteStateAsync("escalations", GrainId.Create("escalation", customer), new GrainState<EscalationState>(legacy));

        var rules = await _cluster.Grains.GetGrain<IEscalationGrain>(customer).GetRules();

        Assert.Single(rules);
        Assert.Equal(old.Actions.ToArray(), (await _cluster.Grains.GetGrain<IEscalationRecordGrain>(old.EscalationId).Get())!.Actions.ToArray());
        var row = await _cluster.Service<IEscalationReadModel>().FindAsync(old.EscalationId);
        Assert.Equal(("erin", old.RaisedAt), (row!.AcknowledgedBy, row.RaisedAt));
    }

    private static SlaAlert Alert(string customer, string ticket, Instant at)
        => new(ticket, customer, SlaMetric.Resolution, 100, 1, at, at, TicketPriority.P2, null, null);
}
