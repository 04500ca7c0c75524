using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using NodaTime;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Tickets;
using SlaGrains.Storage.ReadModels;
using SlaGrains.Storage.Tests.Conformance;

namespace SlaGrains.Storage.Tests.ReadModels;

/// <summary>
/// What the ticket read models must do on every store: idempotent writes by version, the list's order, keyset pages and
/// filters, the aggregates, and the maintenance that keeps rows in step with grain state. Each store runs it through a
/// subclass naming its fixture. The stores are shared by a class's tests, so every test writes its own customers and
/// ticket ids (a fresh prefix) and asks only about those.
/// </summary>
public abstract class TicketReadModelConformance<TFixture>(TFixture store)
    where TFixture : ReadModelFixture
{
    /// <summary>The instant standings are judged at.</summary>
    protected static readonly Instant Now = Instant.FromUtc(2030, 1, 7, 12, 0);

    private static readonly Duration Target = Duration.FromHours(8);

    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..10];

    protected TFixture Store { get; } = store;

    [SkippableFact]
    public async Task A_written_ticket_reads_back_equal_with_its_clocks_in_metric_order()
    {
        SkipUnlessAvailable();
        var full = new TicketSummary(
            Id("full"), Customer("c"), TicketPriority.P1, TicketStatus.InProgress, "Printer on fire", "ada@example.com",
            "team-a", "bob", EscalatedToManagement: true, Now - Duration.FromDays(2), Now - Duration.FromHours(3), Now - Duration.FromHours(1),
            [
                new ClockView(SlaMetric.NextReply, 3, ClockState.Running, Duration.FromHours(2), Duration.FromMinutes(30), Duration.FromMinutes(90),
                    Now + Duration.FromMinutes(90), Now + Duration.FromMinutes(60), 75, Now - Duration.FromMinutes(1)),
                new ClockView(SlaMetric.FirstResponse, 0, ClockState.Met, Duration.FromHours(1), Duration.FromMinutes(12), Duration.FromMinutes(48),
                    null, null, null),
                new ClockView(SlaMetric.Resolution, 1, ClockState.BreachedPaused, Target, Target + Duration.FromTicks(1234567), -Duration.FromTicks(1234567),
                    null, null, null),
            ],
            Now + Duration.FromNanoseconds(1), Version: 42);
        var bare = new TicketSummary(
            Id("bare"), Customer("c"), TicketPriority.P4, TicketStatus.New, "Question", "bo@example.com",
            null, null, false, Now, null, null, [], Now, 1);

        await Write(full, bare);

        AssertSameRow(full, await Store.Reads.FindAsync(full.TicketId));
        AssertSameRow(bare, await Store.Reads.FindAsync(bare.TicketId));
        Assert.Equal([SlaMetric.FirstResponse, SlaMetric.Resolution, SlaMetric.NextReply], (await Store.Reads.FindAsync(full.TicketId))!.Clocks.Select(c => c.Metric));
    }

    [SkippableFact]
    public async Task Open_clocks_are_counted_by_metric_and_state_and_stopped_ones_are_left_out()
    {
        SkipUnlessAvailable();
        var before = await Store.Reads.OpenClocksAsync();

        await Write(
            Ticket("c", "a") with { Clocks = [Clock(SlaMetric.FirstResponse, ClockState.Running), Clock(SlaMetric.Resolution, ClockState.Running)] },
            Ticket("c", "b") with { Clocks = [Clock(SlaMetric.FirstResponse, ClockState.Met), Clock(SlaMetric.Resolution, ClockState.BreachedPaused)] },
            Ticket("c", "d") with { Clocks = [Clock(SlaMetric.Resolution, ClockState.BreachedStopped), Clock(SlaMetric.NextReply, ClockState.Paused)] },
            Ticket("c", "e") with { Clocks = [Clock(SlaMetric.Resolution, ClockState.BreachedRunning)] });
        var after = await Store.Reads.OpenClocksAsync();

        long Added(SlaMetric metric, ClockState state)
            => after.Where(r => r.Metric == metric && r.State == state).Sum(r => r.Count) - before.Where(r => r.Metric == metric && r.State == state).Sum(r => r.Count);
        Assert.Equal(1, Added(SlaMetric.FirstResponse, ClockState.Running));
        Assert.Equal(1, Added(SlaMetric.Resolution, ClockState.Running));
        Assert.Equal(1, Added(SlaMetric.Resolution, ClockState.BreachedPaused));
        Assert.Equal(1, Added(SlaMetric.Resolution, ClockState.BreachedRunning));
        Assert.Equal(1, Added(SlaMetric.NextReply, ClockState.Paused));
        Assert.Equal(5, after.Sum(r => r.Count) - before.Sum(r => r.Count));
        Assert.DoesNotContain(after, r => r.State is ClockState.Met or ClockState.BreachedStopped);
    }

    [SkippableFact]
    public async Task Finding_a_ticket_without_a_row_gives_null()
    {
        SkipUnlessAvailable();

        Assert.Null(await Store.Reads.FindAsync(Id("never-written")));
    }

    [SkippableFact]
    public async Task A_replayed_version_changes_nothing()
    {
        SkipUnlessAvailable();
        var first = Ticket("c", "replayed") with { Subject = "as first written", Version = 5 };
        await Write(first);

        await Write(first with { Subject = "same version, other content", Status = TicketStatus.Closed });

        AssertSameRow(first, await Store.Reads.FindAsync(first.TicketId));
    }

    [SkippableFact]
    public async Task An_older_version_never_replaces_a_newer_row()
    {
        SkipUnlessAvailable();
        var newer = Ticket("c", "late") with { Status = TicketStatus.Resolved, Version = 7, Clocks = [Clock(SlaMetric.Resolution, ClockState.Met)] };
        await Write(newer);

        await Write(newer with { Status = TicketStatus.Open, Version = 6, Clocks = [Running(SlaMetric.Resolution, Now + Duration.FromHours(1))] });

        AssertSameRow(newer, await Store.Reads.FindAsync(newer.TicketId));
    }

    [SkippableFact]
    public async Task A_higher_version_replaces_the_row_including_emptied_columns()
    {
        SkipUnlessAvailable();
        var older = Ticket("c", "moving") with
        {
            Team = "team-a",
            Assignee = "bob",
            Version = 1,
            Clocks = [Running(SlaMetric.FirstResponse, Now + Duration.FromHours(1)), Running(SlaMetric.NextReply, Now + Duration.FromHours(2))],
        };
        await Write(older);
        var newer = older with { Team = null, Assignee = null, Status = TicketStatus.Resolved, ResolvedAt = Now, Version = 2, Clocks = [Clock(SlaMetric.FirstResponse, ClockState.Met)] };

        await Write(newer);

        AssertSameRow(newer, await Store.Reads.FindAsync(newer.TicketId));
    }

    [SkippableFact]
    public async Task A_transition_is_inserted_once_and_the_trail_reads_in_sequence_order()
    {
        SkipUnlessAvailable();
        var ticket = Id("audited");
        var created = new AuditEntry(Now - Duration.FromHours(2), "TicketCreated", null, "Ticket opened", Now - Duration.FromHours(2), By: "ada");
        var warned = new AuditEntry(Now - Duration.FromHours(1), "ClockWarning", SlaMetric.FirstResponse, "75 % of first response used", Now - Duration.FromMinutes(59), 75, "sla-clock");
        var breached = new AuditEntry(Now, "ClockBreached", SlaMetric.FirstResponse, "First response breached", Now, 100, "sla-clock");
        await Store.Writer.WriteAsync(new ReadModelBatch([], [Transition(ticket, 2, breached), Transition(ticket, 0, created)]));

        await Store.Writer.WriteAsync(new ReadModelBatch([], [Transition(ticket, 1, warned), Transition(ticket, 0, created with { Description = "replayed with other text" })]));

        Assert.Equal([created, warned, breached], await Store.Reads.TransitionsAsync(ticket));
        Assert.Empty(await Store.Reads.TransitionsAsync(Id("no-audit")));
    }

    [SkippableFact]
    public async Task Concurrent_batches_all_land()
    {
        SkipUnlessAvailable();
        var tickets = Enumerable.Range(0, 100).Select(i => Ticket("c", $"n{i:D3}")).ToArray();

        await Task.WhenAll(tickets.Select(t => Store.Writer.WriteAsync(new ReadModelBatch(
            [t],
            [Transition(t.TicketId, 0, new AuditEntry(Now, "TicketCreated", null, "opened", Now))]))));

        var page = await Store.Reads.ListAsync(ForCustomer("c") with { PageSize = 500 });
        Assert.Equal(tickets.Select(t => t.TicketId).Order(StringComparer.Ordinal), page.Items.Select(t => t.TicketId).Order(StringComparer.Ordinal));
        foreach (var ticket in tickets)
        {
            Assert.Single(await Store.Reads.TransitionsAsync(ticket.TicketId));
        }
    }

    [SkippableFact]
    public async Task A_write_the_store_refuses_fails_only_its_caller()
    {
        SkipUnlessAvailable();
        var good = Enumerable.Range(0, 20).Select(i => Ticket("c", $"good{i:D2}")).ToArray();

        var writes = good.Select(t => Store.Writer.WriteAsync(new ReadModelBatch([t], []))).ToList();
        var bad = Store.Writer.WriteAsync(new ReadModelBatch([Ticket("c", "bad") with { Subject = null! }], []));

        await Assert.ThrowsAnyAsync<DbException>(() => bad);
        await Task.WhenAll(writes);
        var page = await Store.Reads.ListAsync(ForCustomer("c"));
        Assert.Equal(good.Select(t => t.TicketId).Order(StringComparer.Ordinal), page.Items.Select(t => t.TicketId).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task A_ticket_with_two_clocks_of_one_metric_is_refused_before_anything_is_written()
    {
        SkipUnlessAvailable();
        var ticket = Ticket("c", "two-clocks") with
        {
            Clocks = [Running(SlaMetric.NextReply, Now + Duration.FromHours(1)), Running(SlaMetric.NextReply, Now + Duration.FromHours(2))],
        };

        await Assert.ThrowsAsync<ArgumentException>(() => Store.Writer.WriteAsync(new ReadModelBatch([ticket], [])));

        Assert.Null(await Store.Reads.FindAsync(ticket.TicketId));
    }

    [SkippableFact]
    public async Task An_empty_batch_completes()
    {
        SkipUnlessAvailable();

        await Store.Writer.WriteAsync(new ReadModelBatch([], []));
    }

    [SkippableFact]
    public async Task The_list_is_ordered_by_next_deadline_then_creation_then_id_with_tickets_without_deadline_last()
    {
        SkipUnlessAvailable();
        var hour = Duration.FromHours(1);
        await Write(
            Ticket("c", "a") with { CreatedAt = Now - (5 * hour) },
            Ticket("c", "b") with { CreatedAt = Now - hour, Clocks = [Deadline(SlaMetric.FirstResponse, Now + hour)] },
            Ticket("c", "c") with { CreatedAt = Now - (2 * hour), Clocks = [Deadline(SlaMetric.Resolution, Now + hour)] },
            Ticket("c", "d") with { CreatedAt = Now - hour, Clocks = [Clock(SlaMetric.FirstResponse, ClockState.BreachedRunning, breachAt: Now - (hour / 2)), Deadline(SlaMetric.Resolution, Now + hour)] },
            Ticket("c", "e") with { CreatedAt = Now - (5 * hour), Clocks = [Clock(SlaMetric.Resolution, ClockState.Paused)] },
            Ticket("c", "f") with { CreatedAt = Now - (6 * hour), Clocks = [Clock(SlaMetric.FirstResponse, ClockState.Met)] },
            Ticket("c", "g") with { CreatedAt = Now - hour, Clocks = [Deadline(SlaMetric.NextReply, Now + hour)] });

        var page = await Store.Reads.ListAsync(ForCustomer("c"));

        Assert.Equal(Ids("d", "c", "b", "g", "f", "a", "e"), page.Items.Select(t => t.TicketId));
        Assert.Null(page.NextCursor);
    }

    [SkippableFact]
    public async Task Keyset_pages_walk_every_row_exactly_once_even_with_rows_inserted_between_pages()
    {
        SkipUnlessAvailable();
        var tickets = Enumerable.Range(0, 23).Select(i => Ticket("c", $"k{i:D2}") with
        {
            // Deadlines repeat and creation instants repeat, so the creation and id tie-breakers matter; every fourth has none.
            CreatedAt = Now - Duration.FromMinutes(i % 3),
            Clocks = i % 4 == 0 ? [] : [Deadline(SlaMetric.Resolution, Now + Duration.FromMinutes(i % 5))],
        }).ToArray();
        await Write(tickets);
        var query = ForCustomer("c") with { PageSize = 5 };

        var seen = new List<string>();
        var first = await Store.Reads.ListAsync(query);
        seen.AddRange(first.Items.Select(t => t.TicketId));
        await Write(
            Ticket("c", "early") with { Clocks = [Deadline(SlaMetric.Resolution, Now - Duration.FromDays(1))] },
            Ticket("c", "late") with { CreatedAt = Now + Duration.FromDays(1) });
        var cursor = first.NextCursor;
        var pages = 1;
        while (cursor is not null)
        {
            // The cursor travels as text, as it does through the API.
            Assert.True(TicketCursor.TryParse(cursor.ToString(), out var parsed));
            var page = await Store.Reads.ListAsync(query with { After = parsed });
            Assert.InRange(page.Items.Count, 1, 5);
            seen.AddRange(page.Items.Select(t => t.TicketId));
            cursor = page.NextCursor;
            pages++;
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal([.. tickets.Select(t => t.TicketId), Id("late")], seen.Order(StringComparer.Ordinal));
        Assert.Equal(5, pages);
    }

    [SkippableTheory]
    [InlineData(TicketListOrder.Priority)]
    [InlineData(TicketListOrder.Customer)]
    [InlineData(TicketListOrder.Newest)]
    public async Task Every_order_pages_through_the_rows_exactly_once_in_the_order_of_the_whole_list(TicketListOrder order)
    {
        SkipUnlessAvailable();
        var priorities = new[] { TicketPriority.P3, TicketPriority.P1, TicketPriority.P4, TicketPriority.P2 };
        var tickets = Enumerable.Range(0, 17).Select(i => Ticket(i % 2 == 0 ? "a" : "b", $"o{i:D2}") with
        {
            Priority = priorities[i % 4],
            CreatedAt = Now - Duration.FromMinutes(i % 5),
            Clocks = i % 6 == 0 ? [] : [Deadline(SlaMetric.Resolution, Now + Duration.FromMinutes(i % 3))],
        }).ToArray();
        await Write(tickets);
        var query = new TicketListQuery { Customers = [Customer("a"), Customer("b")], Now = Now, Order = order, PageSize = 4 };
        static long DeadlineKey(TicketSummary t) => t.NextDeadline is { } d ? d.ToUnixTimeTicks() : long.MaxValue;
        var byDeadline = tickets.OrderBy(DeadlineKey).ThenBy(t => t.CreatedAt).ThenBy(t => t.TicketId, StringComparer.Ordinal);
        var expected = order switch
        {
            TicketListOrder.Priority => tickets.OrderBy(t => t.Priority).ThenBy(DeadlineKey).ThenBy(t => t.CreatedAt).ThenBy(t => t.TicketId, StringComparer.Ordinal),
            TicketListOrder.Customer => tickets.OrderBy(t => t.CustomerId, StringComparer.Ordinal).ThenBy(DeadlineKey).ThenBy(t => t.CreatedAt).ThenBy(t => t.TicketId, StringComparer.Ordinal),
            _ => tickets.OrderByDescending(t => t.CreatedAt).ThenBy(t => t.TicketId, StringComparer.Ordinal),
        };

        var seen = new List<string>();
        TicketCursor? cursor = null;
        do
        {
            var page = await Store.Reads.ListAsync(query with { After = cursor });
            seen.AddRange(page.Items.Select(t => t.TicketId));
            cursor = page.NextCursor is { } next && TicketCursor.TryParse(next.ToString(), out var parsed) ? parsed : null;
        }
        while (cursor is not null);

        Assert.Equal(expected.Select(t => t.TicketId), seen);
        Assert.NotEqual(byDeadline.Select(t => t.TicketId), seen);
    }

    [SkippableFact]
    public async Task A_page_has_a_next_cursor_only_when_more_rows_follow()
    {
        SkipUnlessAvailable();
        await Write(Enumerable.Range(0, 5).Select(i => Ticket("c", $"p{i}")).ToArray());

        var exact = await Store.Reads.ListAsync(ForCustomer("c") with { PageSize = 5 });
        var shorter = await Store.Reads.ListAsync(ForCustomer("c") with { PageSize = 4 });

        Assert.Equal(5, exact.Items.Count);
        Assert.Null(exact.NextCursor);
        Assert.Equal(4, shorter.Items.Count);
        Assert.Equal(TicketCursor.After(shorter.Items[^1]), shorter.NextCursor);
    }

    [SkippableFact]
    public async Task The_page_size_is_clamped_to_between_1_and_500()
    {
        SkipUnlessAvailable();
        await Write(Enumerable.Range(0, 501).Select(i => Ticket("c", $"s{i:D3}")).ToArray());

        var tiny = await Store.Reads.ListAsync(ForCustomer("c") with { PageSize = 0 });
        var huge = await Store.Reads.ListAsync(ForCustomer("c") with { PageSize = 10_000 });

        Assert.Single(tiny.Items);
        Assert.NotNull(tiny.NextCursor);
        Assert.Equal(500, huge.Items.Count);
        Assert.NotNull(huge.NextCursor);
    }

    [SkippableTheory]
    [InlineData(TicketListState.All, "on-track", "at-risk", "at-risk-from-now", "at-risk-and-breached", "breached-by-time", "breached-at-now", "breached-state", "paused", "breached-paused", "resolved-late", "resolved-met", "closed", "no-clocks")]
    [InlineData(TicketListState.Open, "on-track", "at-risk", "at-risk-from-now", "at-risk-and-breached", "breached-by-time", "breached-at-now", "breached-state", "paused", "breached-paused", "no-clocks")]
    [InlineData(TicketListState.Resolved, "resolved-late", "resolved-met")]
    [InlineData(TicketListState.Closed, "closed")]
    [InlineData(TicketListState.Paused, "paused", "breached-paused")]
    [InlineData(TicketListState.AtRisk, "at-risk", "at-risk-from-now", "at-risk-and-breached")]
    [InlineData(TicketListState.Breached, "at-risk-and-breached", "breached-by-time", "breached-at-now", "breached-state", "breached-paused", "resolved-late")]
    public async Task A_state_filter_lists_the_tickets_in_that_state_at_now(TicketListState state, params string[] expected)
    {
        SkipUnlessAvailable();
        var tickets = StandingTickets();
        await Write(tickets);

        var page = await Store.Reads.ListAsync(ForCustomer("c") with { State = state });

        Assert.Equal(Ids(expected).Order(StringComparer.Ordinal), page.Items.Select(t => t.TicketId).Order(StringComparer.Ordinal));
        if (state is TicketListState.AtRisk or TicketListState.Breached)
        {
            // The SQL is the domain's one rule (ClockStandings) over the stored columns.
            var standing = state == TicketListState.AtRisk ? ClockStanding.AtRisk : ClockStanding.Breached;
            var byDomain = tickets.Where(t => t.Clocks.Any(c => c.StandingAt(Now) == standing)).Select(t => t.TicketId);
            Assert.Equal(byDomain.Order(StringComparer.Ordinal), page.Items.Select(t => t.TicketId).Order(StringComparer.Ordinal));
        }
    }

    [SkippableFact]
    public async Task At_risk_and_breached_move_with_now()
    {
        SkipUnlessAvailable();
        var ticket = Ticket("c", "aging") with { Clocks = [Running(SlaMetric.Resolution, breachAt: Now + Duration.FromHours(2), atRiskAt: Now + Duration.FromHours(1))] };
        await Write(ticket);

        async Task<string[]> ListedAt(TicketListState state, Instant now)
            => [.. (await Store.Reads.ListAsync(ForCustomer("c") with { State = state, Now = now })).Items.Select(t => t.TicketId)];

        Assert.Empty(await ListedAt(TicketListState.AtRisk, Now));
        Assert.Equal([ticket.TicketId], await ListedAt(TicketListState.AtRisk, Now + Duration.FromMinutes(90)));
        Assert.Empty(await ListedAt(TicketListState.Breached, Now + Duration.FromMinutes(90)));
        Assert.Empty(await ListedAt(TicketListState.AtRisk, Now + Duration.FromHours(2)));
        Assert.Equal([ticket.TicketId], await ListedAt(TicketListState.Breached, Now + Duration.FromHours(2)));
    }

    [SkippableFact]
    public async Task Team_assignee_mine_or_team_and_priority_filters_combine()
    {
        SkipUnlessAvailable();
        await Write(
            Ticket("c", "t1") with { Team = "team-a", Assignee = "bob", Priority = TicketPriority.P1 },
            Ticket("c", "t2") with { Team = "team-a", Priority = TicketPriority.P2 },
            Ticket("c", "t3") with { Team = "team-b", Assignee = "bob", Priority = TicketPriority.P3 },
            Ticket("c", "t4") with { Team = "team-b", Assignee = "alice", Priority = TicketPriority.P1 },
            Ticket("c", "t5") with { Priority = TicketPriority.P4 });

        Assert.Equal(Ids("t1", "t2"), await Listed(ForCustomer("c") with { Team = "team-a" }));
        Assert.Equal(Ids("t1", "t3"), await Listed(ForCustomer("c") with { Assignee = "bob" }));
        Assert.Equal(Ids("t1", "t2", "t3"), await Listed(ForCustomer("c") with { MineOrTeam = ("bob", "team-a") }));
        Assert.Equal(Ids("t4"), await Listed(ForCustomer("c") with { MineOrTeam = ("alice", null) }));
        Assert.Equal(Ids("t1", "t4"), await Listed(ForCustomer("c") with { Priority = TicketPriority.P1 }));
        Assert.Equal(Ids("t4"), await Listed(ForCustomer("c") with { Team = "team-b", Priority = TicketPriority.P1 }));
        Assert.Empty(await Listed(ForCustomer("c") with { Team = "team-a", Assignee = "alice" }));
    }

    [SkippableFact]
    public async Task Text_matches_id_or_subject_ignoring_ascii_case_and_takes_wildcards_literally()
    {
        SkipUnlessAvailable();
        await Write(
            Ticket("c", "Printer") with { Subject = "Paper jam on FIRE" },
            Ticket("c", "x1") with { Subject = "100% broken" },
            Ticket("c", "x2") with { Subject = "1000 broken" },
            Ticket("c", "x3") with { Subject = "snake_case name" },
            Ticket("c", "x4") with { Subject = "snakeXcase name" },
            Ticket("c", "x5") with { Subject = @"back\slash" },
            Ticket("c", "x6") with { Subject = "ÜBER alles" });

        Assert.Equal(Ids("Printer"), await Listed(ForCustomer("c") with { Text = "pRINTER" }));
        Assert.Equal(Ids("Printer"), await Listed(ForCustomer("c") with { Text = "on fire" }));
        Assert.Equal(Ids("x1"), await Listed(ForCustomer("c") with { Text = Id("X1") }));
        Assert.Equal(Ids("x1"), await Listed(ForCustomer("c") with { Text = "100%" }));
        Assert.Equal(Ids("x3"), await Listed(ForCustomer("c") with { Text = "e_c" }));
        Assert.Equal(Ids("x5"), await Listed(ForCustomer("c") with { Text = @"k\s" }));
        Assert.Equal(Ids("x6"), await Listed(ForCustomer("c") with { Text = "Über" }));

        // Only ASCII letters fold, the same on every store.
        Assert.Empty(await Listed(ForCustomer("c") with { Text = "über" }));
    }

    [SkippableFact]
    public async Task The_customers_filter_lists_only_those_customers_and_an_empty_set_lists_nothing()
    {
        SkipUnlessAvailable();
        await Write(Ticket("c1", "a"), Ticket("c2", "b"), Ticket("c3", "c"));

        var some = await Store.Reads.ListAsync(new TicketListQuery { Customers = [Customer("c1"), Customer("c3")], Now = Now });
        var none = await Store.Reads.ListAsync(new TicketListQuery { Customers = [], Now = Now, IncludeTotal = true });
        var all = await Store.Reads.ListAsync(new TicketListQuery { Text = _prefix, Now = Now });

        Assert.Equal(Ids("a", "c"), some.Items.Select(t => t.TicketId).Order(StringComparer.Ordinal));
        Assert.Empty(none.Items);
        Assert.Null(none.NextCursor);
        Assert.Equal(0, none.Total);
        Assert.Equal(Ids("a", "b", "c"), all.Items.Select(t => t.TicketId).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task The_total_counts_every_matching_row_whatever_the_page()
    {
        SkipUnlessAvailable();
        await Write(Enumerable.Range(0, 7).Select(i => Ticket("c", $"r{i}") with { Status = i < 3 ? TicketStatus.Closed : TicketStatus.Open }).ToArray());

        var first = await Store.Reads.ListAsync(ForCustomer("c") with { PageSize = 3, IncludeTotal = true });
        var second = await Store.Reads.ListAsync(ForCustomer("c") with { PageSize = 3, IncludeTotal = true, After = first.NextCursor });
        var open = await Store.Reads.ListAsync(ForCustomer("c") with { PageSize = 3, IncludeTotal = true, State = TicketListState.Open });
        var uncounted = await Store.Reads.ListAsync(ForCustomer("c") with { PageSize = 3 });

        Assert.Equal(7, first.Total);
        Assert.Equal(7, second.Total);
        Assert.Equal(4, open.Total);
        Assert.Null(uncounted.Total);
    }

    [SkippableFact]
    public async Task A_total_stops_counting_at_its_cap_and_says_it_is_not_exact()
    {
        SkipUnlessAvailable();
        await Write(Enumerable.Range(0, 7).Select(i => Ticket("c", $"k{i}")).ToArray());

        var capped = await Store.Reads.ListAsync(ForCustomer("c") with { PageSize = 2, IncludeTotal = true, TotalCap = 5 });
        var atCap = await Store.Reads.ListAsync(ForCustomer("c") with { PageSize = 2, IncludeTotal = true, TotalCap = 7 });

        Assert.Equal((5L, false), (capped.Total, capped.TotalIsExact));
        Assert.Equal((7L, true), (atCap.Total, atCap.TotalIsExact));
    }

    [SkippableFact]
    public async Task Stats_count_tickets_compliance_and_standings_per_customer_and_priority()
    {
        SkipUnlessAvailable();
        var hour = Duration.FromHours(1);
        var period = new Interval(Now - Duration.FromDays(7), Now);
        await Write(
            Ticket("a", "a1") with { Priority = TicketPriority.P1, Clocks = [Clock(SlaMetric.FirstResponse, ClockState.Met), Running(SlaMetric.Resolution, Now + hour, atRiskAt: Now - hour)] },
            Ticket("a", "a2") with { Priority = TicketPriority.P1, Status = TicketStatus.Resolved, Clocks = [Clock(SlaMetric.FirstResponse, ClockState.BreachedStopped), Clock(SlaMetric.Resolution, ClockState.Met)] },
            Ticket("a", "a3") with { Priority = TicketPriority.P1, Clocks = [Clock(SlaMetric.FirstResponse, ClockState.BreachedRunning, breachAt: Now - hour), Running(SlaMetric.Resolution, Now - Duration.FromMinutes(1))] },
            Ticket("a", "a4") with { Priority = TicketPriority.P2, Status = TicketStatus.Closed, CreatedAt = period.Start - hour, Clocks = [Clock(SlaMetric.FirstResponse, ClockState.Met), Clock(SlaMetric.Resolution, ClockState.BreachedStopped)] },
            Ticket("a", "a5") with { Priority = TicketPriority.P2, Status = TicketStatus.WaitingOnCustomer, Clocks = [Clock(SlaMetric.FirstResponse, ClockState.Paused), Clock(SlaMetric.Resolution, ClockState.Paused)] },
            Ticket("b", "b1") with { Priority = TicketPriority.P3, CreatedAt = period.End, Clocks = [Running(SlaMetric.FirstResponse, Now + hour)] },
            Ticket("other", "o1"));
        string[] customers = [Customer("a"), Customer("b")];

        var all = await Store.Reads.StatsAsync(new TicketStatsQuery { Customers = customers, Now = Now });
        var inPeriod = await Store.Reads.StatsAsync(new TicketStatsQuery { Customers = customers, CreatedIn = period, Now = Now });
        var open = await Store.Reads.StatsAsync(new TicketStatsQuery { Customers = customers, OpenOnly = true, Now = Now });

        Assert.Equal(
            [
                new TicketSlaStats(Customer("a"), TicketPriority.P1, 3, 2, new ClockCompliance(1, 2), new ClockCompliance(1, 0), AtRiskNow: 1, BreachedNow: 1),
                new TicketSlaStats(Customer("a"), TicketPriority.P2, 2, 1, new ClockCompliance(1, 0), new ClockCompliance(0, 1), AtRiskNow: 0, BreachedNow: 0),
                new TicketSlaStats(Customer("b"), TicketPriority.P3, 1, 1, default, default, AtRiskNow: 0, BreachedNow: 0),
            ],
            all);
        Assert.Equal(
            [
                new TicketSlaStats(Customer("a"), TicketPriority.P1, 3, 2, new ClockCompliance(1, 2), new ClockCompliance(1, 0), AtRiskNow: 1, BreachedNow: 1),
                new TicketSlaStats(Customer("a"), TicketPriority.P2, 1, 1, default, default, AtRiskNow: 0, BreachedNow: 0),
            ],
            inPeriod);
        Assert.Equal(
            [
                new TicketSlaStats(Customer("a"), TicketPriority.P1, 2, 2, new ClockCompliance(1, 1), default, AtRiskNow: 1, BreachedNow: 1),
                new TicketSlaStats(Customer("a"), TicketPriority.P2, 1, 1, default, default, AtRiskNow: 0, BreachedNow: 0),
                new TicketSlaStats(Customer("b"), TicketPriority.P3, 1, 1, default, default, AtRiskNow: 0, BreachedNow: 0),
            ],
            open);
        Assert.Empty(await Store.Reads.StatsAsync(new TicketStatsQuery { Customers = [], Now = Now }));
    }

    [SkippableFact]
    public async Task Breaches_list_every_breached_clock_by_ticket_then_metric_with_its_time_over_target()
    {
        SkipUnlessAvailable();
        var hour = Duration.FromHours(1);
        var period = new Interval(Now - Duration.FromDays(30), Now);
        await Write(
            Ticket("c", "x1") with
            {
                Priority = TicketPriority.P2,
                CreatedAt = period.Start,
                Clocks =
                [
                    Clock(SlaMetric.NextReply, ClockState.Met),
                    Clock(SlaMetric.Resolution, ClockState.BreachedRunning, elapsed: Target + (2 * hour), breachAt: Now - hour),
                    Clock(SlaMetric.FirstResponse, ClockState.BreachedStopped, elapsed: Target + hour),
                ],
            },
            Ticket("c", "x2") with { CreatedAt = period.End - Duration.Epsilon, Clocks = [Clock(SlaMetric.NextReply, ClockState.BreachedPaused, elapsed: Target + Duration.FromMinutes(5))] },
            Ticket("c", "x3") with { CreatedAt = period.End, Clocks = [Clock(SlaMetric.FirstResponse, ClockState.BreachedStopped, elapsed: Target + hour)] },
            Ticket("c", "x4") with { Clocks = [Running(SlaMetric.FirstResponse, Now - hour)] },
            Ticket("other", "y1") with { Clocks = [Clock(SlaMetric.FirstResponse, ClockState.BreachedStopped, elapsed: Target + hour)] });

        var breaches = await Store.Reads.BreachesAsync(Customer("c"), period);
        var ever = await Store.Reads.BreachesAsync(Customer("c"), new Interval(null, null));

        Assert.Equal(
            [
                new TicketBreach(Id("x1"), TicketPriority.P2, SlaMetric.FirstResponse, hour),
                new TicketBreach(Id("x1"), TicketPriority.P2, SlaMetric.Resolution, 2 * hour),
                new TicketBreach(Id("x2"), TicketPriority.P3, SlaMetric.NextReply, Duration.FromMinutes(5)),
            ],
            breaches);
        Assert.Equal(Ids("x1", "x1", "x2", "x3"), ever.Select(b => b.TicketId));
    }

    [SkippableFact]
    public async Task Not_closed_lists_every_ticket_of_the_customer_but_the_closed_ones()
    {
        SkipUnlessAvailable();
        await Write(
            Ticket("c", "n1") with { Priority = TicketPriority.P1 },
            Ticket("c", "n2") with { Priority = TicketPriority.P2, Status = TicketStatus.Resolved },
            Ticket("c", "n3") with { Priority = TicketPriority.P3, Status = TicketStatus.Closed },
            Ticket("other", "n4"));

        var notClosed = await Store.Reads.NotClosedAsync(Customer("c"));

        Assert.Equal([(Id("n1"), TicketPriority.P1), (Id("n2"), TicketPriority.P2)], notClosed);
    }

    [SkippableFact]
    public async Task A_ticket_state_without_a_row_or_newer_than_its_row_is_stale()
    {
        SkipUnlessAvailable();
        var noRow = await WriteTicketState("a");
        var fresh = await WriteTicketState("b");
        var behind = await WriteTicketState("c", writes: 2);
        var cleared = await WriteTicketState("d");
        await Store.GrainStorage.ClearStateAsync(TicketGrainState.StateName, GrainId.Create(TicketGrainState.GrainType, Id("d")), cleared.State);
        var ahead = await WriteTicketState("e");
        await Store.GrainStorage.WriteStateAsync(TicketGrainState.StateName, GrainId.Create("customer", Id("f")), new GrainState<ConformanceState>(new ConformanceState()));
        await Store.GrainStorage.WriteStateAsync("other", GrainId.Create(TicketGrainState.GrainType, Id("g")), new GrainState<ConformanceState>(new ConformanceState()));
        await Write(
            Ticket("c", "b") with { Version = fresh.Version },
            Ticket("c", "c") with { Version = behind.Version - 1 },
            Ticket("c", "e") with { Version = ahead.Version + 1 });

        Assert.Equal(Ids("a", "c"), await Stale(after: _prefix, limit: 100));
        Assert.Equal(Ids("a"), await Stale(after: _prefix, limit: 1));
        Assert.Equal(Ids("c"), await Stale(after: Id("a"), limit: 1));

        await Write(Ticket("c", "a") with { Version = noRow.Version }, Ticket("c", "c") with { Version = behind.Version });
        Assert.Empty(await Stale(after: _prefix, limit: 100));
    }

    [SkippableFact]
    public async Task Clear_deletes_every_row_and_leaves_grain_state_so_the_ticket_is_stale_again()
    {
        SkipUnlessAvailable();
        var state = await WriteTicketState("cleared");
        await Store.Writer.WriteAsync(new ReadModelBatch(
            [Ticket("c", "cleared") with { Version = state.Version }],
            [Transition(Id("cleared"), 0, new AuditEntry(Now, "TicketCreated", null, "opened", Now))]));
        Assert.Empty(await Stale(after: _prefix, limit: 100));

        await Store.Maintenance.ClearAsync();

        Assert.Null(await Store.Reads.FindAsync(Id("cleared")));
        Assert.Empty(await Store.Reads.TransitionsAsync(Id("cleared")));
        Assert.Empty((await Store.Reads.ListAsync(new TicketListQuery { Now = Now })).Items);
        Assert.Equal(Ids("cleared"), await Stale(after: _prefix, limit: 100));
        var read = new GrainState<ConformanceState>();
        await Store.GrainStorage.ReadStateAsync(TicketGrainState.StateName, GrainId.Create(TicketGrainState.GrainType, Id("cleared")), read);
        Assert.True(read.RecordExists);
    }

    [SkippableFact]
    public async Task A_front_end_on_the_same_settings_reads_what_the_silo_wrote()
    {
        SkipUnlessAvailable();
        var ticket = Ticket("c", "shared") with { Clocks = [Running(SlaMetric.FirstResponse, Now + Duration.FromHours(1))] };
        await Write(ticket);

        AssertSameRow(ticket, await Store.FrontEndReads.FindAsync(ticket.TicketId));
        Assert.Equal(Ids("shared"), (await Store.FrontEndReads.ListAsync(ForCustomer("c"))).Items.Select(t => t.TicketId));
    }

    /// <summary>Tickets in every standing at <see cref="Now"/>, named for it.</summary>
    // Issue 20 — ticket-SLA credits
    [SkippableFact]
    public async Task Decided_clocks_count_in_the_month_their_last_stop_or_breach_fell_in_by_metric_and_priority()
    {
        SkipUnlessAvailable();
        var month = new Interval(Instant.FromUtc(2030, 1, 1, 0, 0), Instant.FromUtc(2030, 2, 1, 0, 0));
        static Instant Jan(int day) => Instant.FromUtc(2030, 1, day, 9, 0);
        AuditEntry Entry(Instant at, string kind, SlaMetric metric) => new(at, kind, metric, kind, at);
        TicketSummary Row(string name, TicketPriority priority, params ClockView[] clocks)
            => Ticket("decided", name) with { Priority = priority, Clocks = [.. clocks] };
        var rows = new[]
        {
            Row("met", TicketPriority.P1, Clock(SlaMetric.FirstResponse, ClockState.Met)),
            Row("breached", TicketPriority.P1, Clock(SlaMetric.FirstResponse, ClockState.BreachedStopped)),
            Row("met-before", TicketPriority.P2, Clock(SlaMetric.FirstResponse, ClockState.Met)),
            Row("breached-at-start", TicketPriority.P2, Clock(SlaMetric.FirstResponse, ClockState.BreachedRunning)),
            Row("running-past-target", TicketPriority.P1, Running(SlaMetric.FirstResponse, Jan(6))),
            Row("running", TicketPriority.P1, Running(SlaMetric.FirstResponse, Instant.FromUtc(2030, 2, 2, 0, 0))),
            Row("reopened", TicketPriority.P1, Clock(SlaMetric.Resolution, ClockState.Met)),
            Row("met-at-end", TicketPriority.P3, Clock(SlaMetric.Resolution, ClockState.Met)),
        };
        ClockTransition[] transitions =
        [
            Transition(Id("met"), 0, Entry(Jan(5), "ClockStopped", SlaMetric.FirstResponse)),
            Transition(Id("breached"), 0, Entry(Jan(3), "ClockBreached", SlaMetric.FirstResponse)),
            Transition(Id("breached"), 1, Entry(Jan(4), "ClockStopped", SlaMetric.FirstResponse)),
            Transition(Id("met-before"), 0, Entry(Instant.FromUtc(2029, 12, 30, 9, 0), "ClockStopped", SlaMetric.FirstResponse)),
            Transition(Id("breached-at-start"), 0, Entry(month.Start, "ClockBreached", SlaMetric.FirstResponse)),
            // A reopened resolution clock: its earlier cycle stopped in December, the current one in January.
            Transition(Id("reopened"), 0, Entry(Instant.FromUtc(2029, 12, 20, 9, 0), "ClockStopped", SlaMetric.Resolution)),
            Transition(Id("reopened"), 1, Entry(Jan(4), "ClockStopped", SlaMetric.Resolution)),
            Transition(Id("met-at-end"), 0, Entry(month.End, "ClockStopped", SlaMetric.Resolution)),
        ];
        await Store.Writer.WriteAsync(new ReadModelBatch(rows, transitions));

        var decided = await Store.Reads.DecidedClocksAsync(Customer("decided"), month);

        Assert.Equal(
            [
                new Domain.Credits.TicketClockCount(SlaMetric.FirstResponse, TicketPriority.P1, 1, 2),
                new Domain.Credits.TicketClockCount(SlaMetric.FirstResponse, TicketPriority.P2, 0, 1),
                new Domain.Credits.TicketClockCount(SlaMetric.Resolution, TicketPriority.P1, 1, 0),
            ],
            decided);
        Assert.Empty(await Store.Reads.DecidedClocksAsync(Customer("nobody"), month));
    }

    // Issue 20 — incidents linked to tickets: the tickets.incident_id column (SQLite migration 11, PostgreSQL 12).
    [SkippableFact]
    public async Task A_tickets_incident_reads_back_lists_the_incidents_tickets_and_a_newer_row_without_it_unlinks()
    {
        SkipUnlessAvailable();
        var incident = $"{_prefix}-api-1";
        var linked = Ticket("c", "linked") with { IncidentId = incident, Version = 1 };
        var other = Ticket("c", "other") with { IncidentId = $"{_prefix}-db-1" };
        var plain = Ticket("c", "plain");
        await Write(linked, other, plain);

        var read = await Store.Reads.FindAsync(linked.TicketId);
        var byIncident = await Listed(ForCustomer("c") with { IncidentId = incident });
        var fromFrontEnd = (await Store.FrontEndReads.ListAsync(ForCustomer("c") with { IncidentId = incident })).Items.Select(t => t.TicketId);
        var otherCustomer = await Listed(ForCustomer("x") with { IncidentId = incident });
        await Write(linked with { IncidentId = null, Version = 2 });
        var afterUnlink = await Listed(ForCustomer("c") with { IncidentId = incident });

        AssertSameRow(linked, read);
        Assert.Null((await Store.Reads.FindAsync(plain.TicketId))!.IncidentId);
        Assert.Equal(Ids("linked"), byIncident);
        Assert.Equal(Ids("linked"), fromFrontEnd);
        Assert.Empty(otherCustomer);
        Assert.Empty(afterUnlink);
        Assert.True((ForCustomer("c") with { IncidentId = incident }).Matches(linked));
        Assert.False((ForCustomer("c") with { IncidentId = incident }).Matches(plain));
    }

    [SkippableFact]
    public async Task Stats_count_the_tickets_linked_to_an_incident_among_those_created_in_the_period()
    {
        SkipUnlessAvailable();
        var period = new Interval(Now - Duration.FromDays(30), Now);
        await Write(
            Ticket("r", "a") with { IncidentId = $"{_prefix}-api-1" },
            Ticket("r", "b") with { IncidentId = $"{_prefix}-api-2" },
            Ticket("r", "c"),
            Ticket("r", "old") with { IncidentId = $"{_prefix}-api-1", CreatedAt = Now - Duration.FromDays(40) });

        var stats = Assert.Single(await Store.Reads.StatsAsync(new TicketStatsQuery { Customers = [Customer("r")], CreatedIn = period, Now = Now }));
        var all = Assert.Single(await Store.Reads.StatsAsync(new TicketStatsQuery { Customers = [Customer("r")], Now = Now }));

        Assert.Equal((3, 2), (stats.Tickets, stats.LinkedToIncidents));
        Assert.Equal((4, 3), (all.Tickets, all.LinkedToIncidents));
        Assert.Equal(66.67m, SlaRelatedTicketRate.Percent(stats.Tickets, stats.LinkedToIncidents));
    }

    private TicketSummary[] StandingTickets()
    {
        var hour = Duration.FromHours(1);
        return
        [
            Ticket("c", "on-track") with { Clocks = [Running(SlaMetric.FirstResponse, Now + (2 * hour), atRiskAt: Now + hour)] },
            Ticket("c", "at-risk") with { Clocks = [Running(SlaMetric.FirstResponse, Now + hour, atRiskAt: Now - hour)] },
            Ticket("c", "at-risk-from-now") with { Clocks = [Running(SlaMetric.Resolution, Now + hour, atRiskAt: Now)] },
            Ticket("c", "at-risk-and-breached") with
            {
                Clocks = [Clock(SlaMetric.FirstResponse, ClockState.BreachedRunning, breachAt: Now - hour), Running(SlaMetric.Resolution, Now + hour, atRiskAt: Now - hour)],
            },
            Ticket("c", "breached-by-time") with { Clocks = [Running(SlaMetric.FirstResponse, Now - Duration.FromMinutes(1), atRiskAt: Now - (2 * hour))] },
            Ticket("c", "breached-at-now") with { Status = TicketStatus.InProgress, Clocks = [Running(SlaMetric.Resolution, Now)] },
            Ticket("c", "breached-state") with { Clocks = [Clock(SlaMetric.FirstResponse, ClockState.BreachedRunning, breachAt: Now - hour)] },
            Ticket("c", "paused") with
            {
                Status = TicketStatus.WaitingOnCustomer,
                Clocks = [Clock(SlaMetric.FirstResponse, ClockState.Paused), Clock(SlaMetric.Resolution, ClockState.Paused)],
            },
            Ticket("c", "breached-paused") with { Status = TicketStatus.OnHold, Clocks = [Clock(SlaMetric.Resolution, ClockState.BreachedPaused)] },
            Ticket("c", "resolved-late") with
            {
                Status = TicketStatus.Resolved,
                ResolvedAt = Now - hour,
                Clocks = [Clock(SlaMetric.FirstResponse, ClockState.Met), Clock(SlaMetric.Resolution, ClockState.BreachedStopped)],
            },
            Ticket("c", "resolved-met") with
            {
                Status = TicketStatus.Resolved,
                ResolvedAt = Now - hour,
                Clocks = [Clock(SlaMetric.FirstResponse, ClockState.Met), Clock(SlaMetric.Resolution, ClockState.Met)],
            },
            Ticket("c", "closed") with
            {
                Status = TicketStatus.Closed,
                ClosedAt = Now - hour,
                Clocks = [Clock(SlaMetric.FirstResponse, ClockState.Met), Clock(SlaMetric.Resolution, ClockState.Met)],
            },
            Ticket("c", "no-clocks") with { Status = TicketStatus.New },
        ];
    }

    private static void AssertSameRow(TicketSummary expected, TicketSummary? actual)
    {
        Assert.NotNull(actual);

        // Records compare ImmutableArray members by reference: compare the clocks element by element instead.
        Assert.Equal(expected with { Clocks = ImmutableArray<ClockView>.Empty }, actual with { Clocks = ImmutableArray<ClockView>.Empty });
        Assert.Equal(expected.Clocks.OrderBy(c => c.Metric), actual.Clocks);
    }

    private static ClockView Running(SlaMetric metric, Instant breachAt, Instant? atRiskAt = null)
        => new(metric, 1, ClockState.Running, Target, Duration.FromHours(2), Target - Duration.FromHours(2), breachAt, breachAt, 100, atRiskAt);

    /// <summary>A running clock whose next threshold (a warning) falls at <paramref name="next"/>.</summary>
    private static ClockView Deadline(SlaMetric metric, Instant next)
        => new(metric, 1, ClockState.Running, Target, Duration.FromHours(2), Target - Duration.FromHours(2), next + Duration.FromHours(1), next, 75, next);

    private static ClockView Clock(SlaMetric metric, ClockState state, Duration? elapsed = null, Instant? breachAt = null)
    {
        var used = elapsed ?? Duration.FromHours(2);
        return new(metric, 0, state, Target, used, Target - used, breachAt, null, null);
    }

    private static ClockTransition Transition(string ticketId, int sequence, AuditEntry entry) => new(ticketId, "customer-of-" + ticketId, sequence, entry);

    private void SkipUnlessAvailable() => Skip.If(Store.Unavailable is not null, Store.Unavailable);

    private string Id(string name) => $"{_prefix}-{name}";

    private string[] Ids(params string[] names) => [.. names.Select(Id)];

    private string Customer(string name) => $"{_prefix}-customer-{name}";

    private TicketSummary Ticket(string customer, string name) => new(
        Id(name), Customer(customer), TicketPriority.P3, TicketStatus.Open, $"Subject of {name}", "requester@example.com",
        null, null, false, Now - Duration.FromHours(1), null, null, [], Now, 1);

    private TicketListQuery ForCustomer(string customer) => new() { Customers = [Customer(customer)], Now = Now, PageSize = 500 };

    private Task Write(params TicketSummary[] tickets) => Store.Writer.WriteAsync(new ReadModelBatch(tickets, []));

    private async Task<string[]> Listed(TicketListQuery query) => [.. (await Store.Reads.ListAsync(query)).Items.Select(t => t.TicketId)];

    private async Task<string[]> Stale(string after, int limit)
        => [.. (await Store.Maintenance.StaleTicketsAsync(after, limit)).Where(id => id.StartsWith(_prefix, StringComparison.Ordinal))];

    /// <summary>Writes a ticket grain's state through the silo's grain storage, as the ticket grain does, <paramref name="writes"/> times.</summary>
    private async Task<(GrainState<ConformanceState> State, long Version)> WriteTicketState(string name, int writes = 1)
    {
        var state = new GrainState<ConformanceState>(new ConformanceState { Text = name });
        for (var i = 0; i < writes; i++)
        {
            await Store.GrainStorage.WriteStateAsync(TicketGrainState.StateName, GrainId.Create(TicketGrainState.GrainType, Id(name)), state);
        }

        return (state, long.Parse(state.ETag!, NumberStyles.None, CultureInfo.InvariantCulture));
    }
}
