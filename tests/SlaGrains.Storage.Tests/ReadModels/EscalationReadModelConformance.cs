using System.Collections.Immutable;
using System.Globalization;
using NodaTime;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Tickets;
using SlaGrains.Storage.ReadModels;
using SlaGrains.Storage.Tests.Conformance;

namespace SlaGrains.Storage.Tests.ReadModels;

/// <summary>
/// What the escalation read model must do on every store: idempotent writes by version (so an acknowledgement is never
/// undone by a late write), the inbox's order (newest first), keyset pages and filters, and the maintenance that keeps
/// rows in step with the escalation record grains' state. Each store runs it through a subclass naming its fixture. The
/// stores are shared by a class's tests, so every test writes its own customers and escalation ids (a fresh prefix)
/// and asks only about those.
/// </summary>
public abstract class EscalationReadModelConformance<TFixture>(TFixture store)
    where TFixture : ReadModelFixture
{
    /// <summary>When the escalations of a test are raised, give or take.</summary>
    protected static readonly Instant Now = Instant.FromUtc(2030, 1, 7, 12, 0);

    private readonly string _prefix = "e" + Guid.NewGuid().ToString("N")[..10];

    protected TFixture Store { get; } = store;

    [SkippableFact]
    public void The_silo_serves_escalation_queries_from_its_read_model_object_and_a_front_end_from_its_query_object()
    {
        SkipUnlessAvailable();

        Assert.Same(Store.Writer, Store.Escalations);
        Assert.Same(Store.Reads, Store.Escalations);
        Assert.Same(Store.Maintenance, Store.Escalations);
        Assert.Same(Store.FrontEndReads, Store.FrontEndEscalations);
    }

    [SkippableFact]
    public async Task A_written_escalation_reads_back_equal_with_its_actions_in_order()
    {
        SkipUnlessAvailable();
        var full = new EscalationView(
            "placeholder",
            new SlaAlert(TicketId("full"), Customer("c"), SlaMetric.NextReply, 75, 3, Now - Duration.FromNanoseconds(1), Now + Duration.FromTicks(1234567),
                TicketPriority.P1, "team-a", "bob"),
            ["notify manager", "reassign to team:network/user:ana", "webhook https://example.com/x: failed: not an http(s) URL"],
            Now + Duration.FromNanoseconds(7),
            "carol",
            Now + Duration.FromMinutes(5) + Duration.FromNanoseconds(3));
        full = full with { EscalationId = full.Alert.Key };
        var bare = Escalation("c", "bare", SlaMetric.FirstResponse, percent: 50, cycle: 0);

        await Write(1, full, bare);

        AssertSameRow(full, await Store.Escalations.FindAsync(full.EscalationId));
        AssertSameRow(bare, await Store.Escalations.FindAsync(bare.EscalationId));
    }

    [SkippableFact]
    public async Task Finding_an_escalation_without_a_row_gives_null()
    {
        SkipUnlessAvailable();

        Assert.Null(await Store.Escalations.FindAsync(Escalation("c", "never-written").EscalationId));
    }

    [SkippableFact]
    public async Task A_replayed_version_changes_nothing()
    {
        SkipUnlessAvailable();
        var first = Escalation("c", "replayed");
        await Write(5, first);

        await Write(5, first with { Actions = ["same version, other actions"], AcknowledgedBy = "mallory", AcknowledgedAt = Now });

        AssertSameRow(first, await Store.Escalations.FindAsync(first.EscalationId));
    }

    [SkippableFact]
    public async Task A_higher_version_replaces_the_row()
    {
        SkipUnlessAvailable();
        var raised = Escalation("c", "moving") with { Actions = ["reassign to team:network", "call webhook ftp://nowhere"] };
        await Write(1, raised);
        var withOutcome = raised with { Actions = [.. raised.Actions, "webhook ftp://nowhere: failed: not an http(s) URL"] };

        await Write(2, withOutcome);

        AssertSameRow(withOutcome, await Store.Escalations.FindAsync(raised.EscalationId));
    }

    [SkippableFact]
    public async Task An_acknowledgement_wins_by_version_and_a_late_unacknowledged_write_never_undoes_it()
    {
        SkipUnlessAvailable();
        var raised = Escalation("c", "acked");
        var acknowledged = raised with { AcknowledgedBy = "carol", AcknowledgedAt = Now + Duration.FromMinutes(3) };
        await Write(1, raised);

        await Write(2, acknowledged);
        await Write(1, raised);

        AssertSameRow(acknowledged, await Store.Escalations.FindAsync(raised.EscalationId));
        Assert.Empty(await Listed(ForCustomer("c") with { Acknowledged = false }));
        Assert.Equal([raised.EscalationId], await Listed(ForCustomer("c") with { Acknowledged = true }));
    }

    [SkippableFact]
    public async Task An_older_version_arriving_after_a_newer_one_changes_nothing()
    {
        SkipUnlessAvailable();
        var newer = Escalation("c", "late") with { Actions = ["notify manager", "escalate to management (managers)"] };
        await Write(7, newer);

        await Write(6, newer with { Actions = ["notify manager"] });

        AssertSameRow(newer, await Store.Escalations.FindAsync(newer.EscalationId));
    }

    [SkippableFact]
    public async Task A_batch_writes_its_ticket_transition_and_escalation_rows_together()
    {
        SkipUnlessAvailable();
        var escalation = Escalation("c", "together");
        var ticket = Ticket(escalation);
        var transition = new ClockTransition(ticket.TicketId, ticket.CustomerId, 0, new AuditEntry(Now, "ClockBreached", SlaMetric.Resolution, "breached", Now, 100));

        await Store.Writer.WriteAsync(new ReadModelBatch([ticket], [transition]) { Escalations = [new EscalationRow(escalation, 1)] });

        Assert.NotNull(await Store.Reads.FindAsync(ticket.TicketId));
        Assert.Single(await Store.Reads.TransitionsAsync(ticket.TicketId));
        AssertSameRow(escalation, await Store.Escalations.FindAsync(escalation.EscalationId));
    }

    [SkippableTheory]
    [InlineData("no action")]
    [InlineData("default actions")]
    [InlineData("a line feed in an action")]
    public async Task An_escalation_a_row_cannot_hold_is_refused_before_anything_of_its_batch_is_written(string problem)
    {
        SkipUnlessAvailable();
        ImmutableArray<string> actions = problem switch
        {
            "no action" => [],
            "default actions" => default,
            _ => ["notify manager", "two\nlines"],
        };
        var escalation = Escalation("c", "refused") with { Actions = actions };
        var ticket = Ticket(escalation);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.Writer.WriteAsync(new ReadModelBatch([ticket], []) { Escalations = [new EscalationRow(escalation, 1)] }));

        Assert.Null(await Store.Escalations.FindAsync(escalation.EscalationId));
        Assert.Null(await Store.Reads.FindAsync(ticket.TicketId));
    }

    [SkippableFact]
    public async Task Concurrent_batches_all_land()
    {
        SkipUnlessAvailable();
        var escalations = Enumerable.Range(0, 100).Select(i => Escalation("c", $"n{i:D3}", raisedAt: Now - Duration.FromSeconds(i))).ToArray();

        await Task.WhenAll(escalations.Select(e => Store.Writer.WriteAsync(new ReadModelBatch([], []) { Escalations = [new EscalationRow(e, 1)] })));

        Assert.Equal(escalations.Select(e => e.EscalationId), await Listed(ForCustomer("c")));
    }

    [SkippableFact]
    public async Task The_inbox_is_ordered_newest_first_then_by_id_descending_in_ordinal_order()
    {
        SkipUnlessAvailable();
        var minute = Duration.FromMinutes(1);
        await Write(
            1,
            Escalation("c", "old", raisedAt: Now - (10 * minute)),
            Escalation("c", "Z", raisedAt: Now),
            Escalation("c", "a", raisedAt: Now),
            Escalation("c", "a", SlaMetric.Resolution, percent: 75, raisedAt: Now),
            Escalation("c", "newest", raisedAt: Now + Duration.FromNanoseconds(1)),
            Escalation("c", "middle", raisedAt: Now - minute));

        var page = await Store.Escalations.ListAsync(ForCustomer("c"));

        // Same instant: by id descending, ordinal — "a/Resolution/75/1" > "a/Resolution/100/1" > "Z/…" ('7' > '1', 'a' > 'Z').
        Assert.Equal(
            [Id("newest/Resolution/100/1"), Id("a/Resolution/75/1"), Id("a/Resolution/100/1"), Id("Z/Resolution/100/1"), Id("middle/Resolution/100/1"), Id("old/Resolution/100/1")],
            page.Items.Select(e => e.EscalationId));
        Assert.Null(page.NextCursor);
    }

    [SkippableFact]
    public async Task Keyset_pages_walk_every_row_exactly_once_in_order_even_with_rows_written_between_pages()
    {
        SkipUnlessAvailable();

        // Raised instants repeat, so the id tie-breaker matters.
        var escalations = Enumerable.Range(0, 13).Select(i => Escalation("c", $"k{i:D2}", raisedAt: Now - Duration.FromMinutes(i % 4))).ToArray();
        await Write(1, escalations);
        var query = ForCustomer("c") with { PageSize = 4 };

        var seen = new List<string>();
        var first = await Store.Escalations.ListAsync(query);
        seen.AddRange(first.Items.Select(e => e.EscalationId));
        var older = Escalation("c", "older", raisedAt: Now - Duration.FromDays(1));
        await Write(1, Escalation("c", "newer", raisedAt: Now + Duration.FromHours(1)), older);
        var cursor = first.NextCursor;
        var pages = 1;
        while (cursor is not null)
        {
            // The cursor travels as text, as it does through the API.
            Assert.True(EscalationCursor.TryParse(cursor.ToString(), out var parsed));
            var page = await Store.Escalations.ListAsync(query with { After = parsed });
            Assert.InRange(page.Items.Count, 1, 4);
            seen.AddRange(page.Items.Select(e => e.EscalationId));
            cursor = page.NextCursor;
            pages++;
        }

        var expected = escalations.Append(older)
            .OrderByDescending(e => e.RaisedAt)
            .ThenByDescending(e => e.EscalationId, StringComparer.Ordinal)
            .Select(e => e.EscalationId);
        Assert.Equal(expected, seen);
        Assert.Equal(4, pages);
    }

    [SkippableFact]
    public async Task A_page_has_a_next_cursor_only_when_more_rows_follow()
    {
        SkipUnlessAvailable();
        await Write(1, Enumerable.Range(0, 5).Select(i => Escalation("c", $"p{i}", raisedAt: Now - Duration.FromMinutes(i))).ToArray());

        var exact = await Store.Escalations.ListAsync(ForCustomer("c") with { PageSize = 5 });
        var shorter = await Store.Escalations.ListAsync(ForCustomer("c") with { PageSize = 4 });

        Assert.Equal(5, exact.Items.Count);
        Assert.Null(exact.NextCursor);
        Assert.Equal(4, shorter.Items.Count);
        Assert.Equal(EscalationCursor.After(shorter.Items[^1]), shorter.NextCursor);
    }

    [SkippableFact]
    public async Task The_page_size_is_clamped_to_between_1_and_500()
    {
        SkipUnlessAvailable();
        await Write(1, Enumerable.Range(0, 501).Select(i => Escalation("c", $"s{i:D3}")).ToArray());

        var tiny = await Store.Escalations.ListAsync(ForCustomer("c") with { PageSize = 0 });
        var huge = await Store.Escalations.ListAsync(ForCustomer("c") with { PageSize = 10_000 });

        Assert.Single(tiny.Items);
        Assert.NotNull(tiny.NextCursor);
        Assert.Equal(500, huge.Items.Count);
        Assert.NotNull(huge.NextCursor);
    }

    [SkippableFact]
    public async Task The_customers_filter_lists_only_those_customers_and_an_empty_set_lists_nothing()
    {
        SkipUnlessAvailable();

        // Raised after every other test's escalations, so "every customer" shows them on its first page.
        var later = Now + Duration.FromDays(365);
        await Write(1, Escalation("c1", "a", raisedAt: later), Escalation("c2", "b", raisedAt: later), Escalation("c3", "c", raisedAt: later));

        var one = await Store.Escalations.ListAsync(new EscalationListQuery { Customers = [Customer("c2")] });
        var some = await Store.Escalations.ListAsync(new EscalationListQuery { Customers = [Customer("c1"), Customer("c3")] });
        var none = await Store.Escalations.ListAsync(new EscalationListQuery { Customers = [], IncludeTotal = true });
        var all = await Store.Escalations.ListAsync(new EscalationListQuery { PageSize = 500 });

        Assert.Equal(Ids("b/Resolution/100/1"), one.Items.Select(e => e.EscalationId));
        Assert.Equal(Ids("c/Resolution/100/1", "a/Resolution/100/1"), some.Items.Select(e => e.EscalationId));
        Assert.Empty(none.Items);
        Assert.Null(none.NextCursor);
        Assert.Equal(0, none.Total);
        Assert.Equal(Ids("c/Resolution/100/1", "b/Resolution/100/1", "a/Resolution/100/1"), Mine(all.Items));
    }

    [SkippableFact]
    public async Task The_acknowledged_filter_lists_only_acknowledged_or_only_unacknowledged_escalations()
    {
        SkipUnlessAvailable();
        await Write(
            1,
            Escalation("c", "open1", raisedAt: Now),
            Escalation("c", "acked1", raisedAt: Now - Duration.FromMinutes(1)) with { AcknowledgedBy = "carol", AcknowledgedAt = Now },
            Escalation("c", "open2", raisedAt: Now - Duration.FromMinutes(2)),
            Escalation("c", "acked2", raisedAt: Now - Duration.FromMinutes(3)) with { AcknowledgedBy = "dan", AcknowledgedAt = Now });

        Assert.Equal(Ids("open1/Resolution/100/1", "open2/Resolution/100/1"), await Listed(ForCustomer("c") with { Acknowledged = false }));
        Assert.Equal(Ids("acked1/Resolution/100/1", "acked2/Resolution/100/1"), await Listed(ForCustomer("c") with { Acknowledged = true }));
        Assert.Equal(4, (await Listed(ForCustomer("c"))).Length);
    }

    [SkippableFact]
    public async Task Metric_and_ticket_filters_combine_with_the_others()
    {
        SkipUnlessAvailable();
        var minute = Duration.FromMinutes(1);
        await Write(
            1,
            Escalation("c", "t1", SlaMetric.FirstResponse, percent: 75, raisedAt: Now),
            Escalation("c", "t1", SlaMetric.FirstResponse, percent: 100, raisedAt: Now - minute) with { AcknowledgedBy = "carol", AcknowledgedAt = Now },
            Escalation("c", "t1", SlaMetric.Resolution, percent: 100, raisedAt: Now - (2 * minute)),
            Escalation("c", "t2", SlaMetric.FirstResponse, percent: 100, raisedAt: Now - (3 * minute)),
            Escalation("other", "t3", SlaMetric.FirstResponse, percent: 100, raisedAt: Now - (4 * minute)));

        Assert.Equal(
            Ids("t1/FirstResponse/75/1", "t1/FirstResponse/100/1", "t2/FirstResponse/100/1"),
            await Listed(ForCustomer("c") with { Metric = SlaMetric.FirstResponse }));
        Assert.Equal(
            Ids("t1/FirstResponse/75/1", "t1/FirstResponse/100/1", "t1/Resolution/100/1"),
            await Listed(ForCustomer("c") with { TicketId = TicketId("t1") }));
        Assert.Equal(
            Ids("t1/FirstResponse/75/1"),
            await Listed(ForCustomer("c") with { TicketId = TicketId("t1"), Metric = SlaMetric.FirstResponse, Acknowledged = false }));
        Assert.Equal(Ids("t3/FirstResponse/100/1"), Mine((await Store.Escalations.ListAsync(new EscalationListQuery { TicketId = TicketId("t3") })).Items));
        Assert.Empty(await Listed(ForCustomer("c") with { TicketId = TicketId("t2"), Metric = SlaMetric.Resolution }));
    }

    [SkippableFact]
    public async Task The_total_counts_every_matching_row_whatever_the_page()
    {
        SkipUnlessAvailable();
        await Write(1, Enumerable.Range(0, 7).Select(i => Escalation("c", $"r{i}", raisedAt: Now - Duration.FromMinutes(i)) with
        {
            AcknowledgedBy = i < 3 ? "carol" : null,
            AcknowledgedAt = i < 3 ? Now : null,
        }).ToArray());

        var first = await Store.Escalations.ListAsync(ForCustomer("c") with { PageSize = 3, IncludeTotal = true });
        var second = await Store.Escalations.ListAsync(ForCustomer("c") with { PageSize = 3, IncludeTotal = true, After = first.NextCursor });
        var open = await Store.Escalations.ListAsync(ForCustomer("c") with { PageSize = 3, IncludeTotal = true, Acknowledged = false });
        var uncounted = await Store.Escalations.ListAsync(ForCustomer("c") with { PageSize = 3 });

        Assert.Equal(7, first.Total);
        Assert.Equal(7, second.Total);
        Assert.Equal(3, second.Items.Count);
        Assert.Equal(4, open.Total);
        Assert.Null(uncounted.Total);
    }

    [SkippableFact]
    public async Task An_escalation_state_without_a_row_or_newer_than_its_row_is_stale()
    {
        SkipUnlessAvailable();
        var noRow = await WriteEscalationState("a");
        var fresh = await WriteEscalationState("b");
        var behind = await WriteEscalationState("c", writes: 2);
        var cleared = await WriteEscalationState("d");
        await Store.GrainStorage.ClearStateAsync(EscalationGrainState.StateName, GrainId.Create(EscalationGrainState.GrainType, EscalationId("d")), cleared.State);
        var ahead = await WriteEscalationState("e");

        // The same key under another grain type (a ticket; one whose name starts the same) or another state name is not an escalation record.
        await Store.GrainStorage.WriteStateAsync(TicketGrainState.StateName, GrainId.Create(TicketGrainState.GrainType, EscalationId("f")), new GrainState<ConformanceState>(new ConformanceState()));
        await Store.GrainStorage.WriteStateAsync(EscalationGrainState.StateName, GrainId.Create("escalation", EscalationId("g")), new GrainState<ConformanceState>(new ConformanceState()));
        await Store.GrainStorage.WriteStateAsync("other", GrainId.Create(EscalationGrainState.GrainType, EscalationId("h")), new GrainState<ConformanceState>(new ConformanceState()));
        await Write(fresh.Version, Escalation("c", "b"));
        await Write(behind.Version - 1, Escalation("c", "c"));
        await Write(ahead.Version + 1, Escalation("c", "e"));

        Assert.Equal([EscalationId("a"), EscalationId("c")], await Stale(after: _prefix, limit: 100));
        Assert.Equal([EscalationId("a")], await Stale(after: _prefix, limit: 1));
        Assert.Equal([EscalationId("c")], await Stale(after: EscalationId("a"), limit: 1));
        Assert.DoesNotContain(EscalationId("a"), await Store.Maintenance.StaleTicketsAsync(after: _prefix, limit: 100));

        await Write(noRow.Version, Escalation("c", "a"));
        await Write(behind.Version, Escalation("c", "c"));
        Assert.Empty(await Stale(after: _prefix, limit: 100));
    }

    [SkippableFact]
    public async Task Clear_deletes_every_escalation_row_and_leaves_grain_state_so_the_escalation_is_stale_again()
    {
        SkipUnlessAvailable();
        var state = await WriteEscalationState("cleared");
        await Write(state.Version, Escalation("c", "cleared"));
        Assert.Empty(await Stale(after: _prefix, limit: 100));

        await Store.Maintenance.ClearAsync();

        Assert.Null(await Store.Escalations.FindAsync(EscalationId("cleared")));
        Assert.Empty((await Store.Escalations.ListAsync(new EscalationListQuery())).Items);
        Assert.Equal([EscalationId("cleared")], await Stale(after: _prefix, limit: 100));
        var read = new GrainState<ConformanceState>();
        await Store.GrainStorage.ReadStateAsync(EscalationGrainState.StateName, GrainId.Create(EscalationGrainState.GrainType, EscalationId("cleared")), read);
        Assert.True(read.RecordExists);
    }

    [SkippableFact]
    public async Task A_front_end_on_the_same_settings_reads_the_escalations_the_silo_wrote()
    {
        SkipUnlessAvailable();
        var escalation = Escalation("c", "shared") with { AcknowledgedBy = "carol", AcknowledgedAt = Now };
        await Write(1, escalation);

        AssertSameRow(escalation, await Store.FrontEndEscalations.FindAsync(escalation.EscalationId));
        Assert.Equal([escalation.EscalationId], (await Store.FrontEndEscalations.ListAsync(ForCustomer("c") with { Acknowledged = true })).Items.Select(e => e.EscalationId));
    }

    private static void AssertSameRow(EscalationView expected, EscalationView? actual)
    {
        Assert.NotNull(actual);

        // Records compare ImmutableArray members by reference: compare the actions element by element instead.
        Assert.Equal(expected with { Actions = ImmutableArray<string>.Empty }, actual with { Actions = ImmutableArray<string>.Empty });
        Assert.Equal<string>(expected.Actions, actual.Actions);
    }

    private void SkipUnlessAvailable() => Skip.If(Store.Unavailable is not null, Store.Unavailable);

    private string Id(string name) => $"{_prefix}-{name}";

    private string[] Ids(params string[] names) => [.. names.Select(Id)];

    private string TicketId(string name) => Id(name);

    /// <summary>The id of the escalation <see cref="Escalation"/> makes for <paramref name="ticket"/> with its defaults.</summary>
    private string EscalationId(string ticket) => Id($"{ticket}/Resolution/100/1");

    private string Customer(string name) => $"{_prefix}-customer-{name}";

    /// <summary>An escalation of ticket <paramref name="ticket"/>, its id the alert's key (<c>ticket/metric/percent/cycle</c>), as the grains make it.</summary>
    private EscalationView Escalation(string customer, string ticket, SlaMetric metric = SlaMetric.Resolution, int percent = 100, int cycle = 1, Instant? raisedAt = null)
    {
        var alert = new SlaAlert(TicketId(ticket), Customer(customer), metric, percent, cycle, Now - Duration.FromMinutes(30), Now - Duration.FromMinutes(29), TicketPriority.P2, null, null);
        return new EscalationView(alert.Key, alert, ["notify manager"], raisedAt ?? Now, null, null);
    }

    private static TicketSummary Ticket(EscalationView escalation) => new(
        escalation.Alert.TicketId, escalation.Alert.CustomerId, TicketPriority.P2, TicketStatus.Open, "Subject", "requester@example.com",
        null, null, false, Now - Duration.FromHours(1), null, null, [], Now, 1);

    private EscalationListQuery ForCustomer(string customer) => new() { Customers = [Customer(customer)], PageSize = 500 };

    private Task Write(long version, params EscalationView[] escalations)
        => Store.Writer.WriteAsync(new ReadModelBatch([], []) { Escalations = [.. escalations.Select(e => new EscalationRow(e, version))] });

    private async Task<string[]> Listed(EscalationListQuery query) => [.. (await Store.Escalations.ListAsync(query)).Items.Select(e => e.EscalationId)];

    private string[] Mine(IEnumerable<EscalationView> escalations) => [.. escalations.Select(e => e.EscalationId).Where(id => id.StartsWith(_prefix, StringComparison.Ordinal))];

    private async Task<string[]> Stale(string after, int limit)
        => [.. (await Store.Maintenance.StaleEscalationsAsync(after, limit)).Where(id => id.StartsWith(_prefix, StringComparison.Ordinal))];

    /// <summary>Writes an escalation record grain's state through the silo's grain storage, as the grain does, <paramref name="writes"/> times.</summary>
    private async Task<(GrainState<ConformanceState> State, long Version)> WriteEscalationState(string ticket, int writes = 1)
    {
        var state = new GrainState<ConformanceState>(new ConformanceState { Text = ticket });
        for (var i = 0; i < writes; i++)
        {
            await Store.GrainStorage.WriteStateAsync(EscalationGrainState.StateName, GrainId.Create(EscalationGrainState.GrainType, EscalationId(ticket)), state);
        }

        return (state, long.Parse(state.ETag!, NumberStyles.None, CultureInfo.InvariantCulture));
    }
}
