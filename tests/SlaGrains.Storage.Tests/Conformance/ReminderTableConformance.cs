namespace SlaGrains.Storage.Tests.Conformance;

/// <summary>
/// What every reminder table of ours must do: the behaviours Orleans' own reminder table tests check,
/// including hash-range reads where the range wraps around (begin ≥ end).
/// </summary>
public abstract class ReminderTableConformance<TFixture>(TFixture store)
    where TFixture : StoreFixture
{
    protected TFixture Store { get; } = store;

    private IReminderTable Table => Store.ReminderTable;

    [SkippableFact]
    public async Task Upsert_then_read_one_returns_the_row_with_its_etag()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);
        var entry = NewEntry(NewGrain(), "deadline");

        var etag = await Table.UpsertRow(entry);
        var read = await Table.ReadRow(entry.GrainId, "deadline");

        Assert.NotNull(read);
        Assert.Equal(entry.GrainId, read.GrainId);
        Assert.Equal("deadline", read.ReminderName);
        Assert.Equal(entry.StartAt, read.StartAt);
        Assert.Equal(entry.Period, read.Period);
        Assert.Equal(etag, read.ETag);
    }

    [SkippableFact]
    public async Task Reading_a_missing_row_gives_null()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);

        Assert.Null(await Table.ReadRow(NewGrain(), "nothing"));
    }

    [SkippableFact]
    public async Task Upsert_replaces_the_row_and_changes_its_etag()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);
        var entry = NewEntry(NewGrain(), "deadline");
        var first = await Table.UpsertRow(entry);

        entry.Period = TimeSpan.FromMinutes(5);
        var second = await Table.UpsertRow(entry);

        Assert.NotEqual(first, second);
        var read = await Table.ReadRow(entry.GrainId, "deadline");
        Assert.Equal(TimeSpan.FromMinutes(5), read!.Period);
        Assert.Equal(second, read.ETag);
    }

    [SkippableFact]
    public async Task Reading_a_grains_rows_returns_all_its_reminders_and_only_them()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);
        var grain = NewGrain();
        await Table.UpsertRow(NewEntry(grain, "warning"));
        await Table.UpsertRow(NewEntry(grain, "breach"));
        await Table.UpsertRow(NewEntry(NewGrain(), "warning"));

        var rows = await Table.ReadRows(grain);

        Assert.Equal(["breach", "warning"], rows.Reminders.Select(r => r.ReminderName).Order());
        Assert.All(rows.Reminders, r => Assert.Equal(grain, r.GrainId));
    }

    [SkippableFact]
    public async Task Removing_with_the_wrong_etag_fails_and_keeps_the_row_the_right_etag_removes_it()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);
        var entry = NewEntry(NewGrain(), "deadline");
        var stale = await Table.UpsertRow(entry);
        var etag = await Table.UpsertRow(entry);

        Assert.False(await Table.RemoveRow(entry.GrainId, "deadline", stale!));
        Assert.NotNull(await Table.ReadRow(entry.GrainId, "deadline"));

        Assert.True(await Table.RemoveRow(entry.GrainId, "deadline", etag!));
        Assert.Null(await Table.ReadRow(entry.GrainId, "deadline"));
        Assert.False(await Table.RemoveRow(entry.GrainId, "deadline", etag!));
    }

    [SkippableFact]
    public async Task Range_reads_return_rows_whose_hash_is_in_begin_exclusive_end_inclusive_including_wrapped_ranges()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);
        await Table.TestOnlyClearTable();
        var grains = Enumerable.Range(0, 60).Select(_ => NewGrain()).ToList();
        foreach (var grain in grains)
        {
            await Table.UpsertRow(NewEntry(grain, "deadline"));
        }

        var hashes = grains.Select(g => g.GetUniformHashCode()).Order().ToArray();
        (uint Begin, uint End)[] ranges =
        [
            (hashes[10], hashes[30]),             // ordinary: (begin, end]
            (hashes[10] - 1, hashes[10]),         // just one
            (hashes[45], hashes[5]),              // wrapped: (begin, max] ∪ [0, end]
            (hashes[20], hashes[20]),             // begin == end: the whole ring
            (0, uint.MaxValue),
            (uint.MaxValue, 0),
        ];

        foreach (var (begin, end) in ranges)
        {
            var rows = await Table.ReadRows(begin, end);
            var expected = grains.Where(g => InRange(g.GetUniformHashCode(), begin, end)).Order().ToArray();
            Assert.Equal(expected, rows.Reminders.Select(r => r.GrainId).Order().ToArray());
        }
    }

    [SkippableFact]
    public async Task Clearing_the_table_removes_every_row()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);
        var entry = NewEntry(NewGrain(), "deadline");
        await Table.UpsertRow(entry);

        await Table.TestOnlyClearTable();

        Assert.Null(await Table.ReadRow(entry.GrainId, "deadline"));
        Assert.Empty((await Table.ReadRows(0, uint.MaxValue)).Reminders);
    }

    /// <summary>Orleans' ring rule: (begin, end] when begin &lt; end, otherwise the wrapped range (begin, max] ∪ [0, end].</summary>
    private static bool InRange(uint hash, uint begin, uint end)
        => begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private static GrainId NewGrain() => GrainId.Create("ticket", Guid.NewGuid().ToString("N"));

    private static ReminderEntry NewEntry(GrainId grain, string name) => new()
    {
        GrainId = grain,
        ReminderName = name,
        StartAt = new DateTime(2026, 11, 23, 9, 30, 15, DateTimeKind.Utc),
        Period = TimeSpan.FromMinutes(1),
    };
}
