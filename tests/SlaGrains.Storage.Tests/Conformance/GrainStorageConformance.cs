using Orleans.Storage;

namespace SlaGrains.Storage.Tests.Conformance;

/// <summary>
/// What every grain storage of ours must do, whichever database is behind it: the behaviours Orleans'
/// own provider tests check. Each store runs this suite through a subclass naming its fixture.
/// </summary>
public abstract class GrainStorageConformance<TFixture>(TFixture store)
    where TFixture : StoreFixture
{
    private const string StateName = "conformance";

    protected TFixture Store { get; } = store;

    private IGrainStorage Storage => Store.GrainStorage;

    [SkippableFact]
    public async Task Write_then_read_returns_the_state_and_its_etag()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);
        var id = NewId("ticket");
        var written = new GrainState<ConformanceState>(new ConformanceState { Text = "first", Counter = 1 });

        await Storage.WriteStateAsync(StateName, id, written);
        var read = await Read(id);

        Assert.NotNull(written.ETag);
        Assert.True(written.RecordExists);
        Assert.Equal("first", read.State!.Text);
        Assert.Equal(1, read.State!.Counter);
        Assert.Equal(written.ETag, read.ETag);
        Assert.True(read.RecordExists);
    }

    [SkippableFact]
    public async Task Reading_a_grain_never_written_gives_a_default_state_without_etag()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);

        var read = await Read(NewId("ticket"));

        Assert.Null(read.ETag);
        Assert.False(read.RecordExists);
        Assert.Equal(string.Empty, read.State!.Text);
        Assert.Equal(0, read.State!.Counter);
    }

    [SkippableFact]
    public async Task A_second_writer_with_a_stale_etag_fails_and_the_first_writers_state_stays()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);
        var id = NewId("ticket");
        await Storage.WriteStateAsync(StateName, id, new GrainState<ConformanceState>(new ConformanceState { Text = "v1" }));
        var first = await Read(id);
        var second = await Read(id);

        first.State!.Text = "first writer";
        await Storage.WriteStateAsync(StateName, id, first);
        second.State!.Text = "second writer";
        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, id, second));

        Assert.Equal("first writer", (await Read(id)).State!.Text);
    }

    [SkippableFact]
    public async Task Writing_a_new_grain_with_an_etag_is_a_conflict()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);
        var state = new GrainState<ConformanceState>(new ConformanceState { Text = "ghost" }) { ETag = "1" };

        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, NewId("ticket"), state));
    }

    [SkippableFact]
    public async Task Clear_then_read_gives_the_default_state_and_the_version_keeps_moving()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);
        var id = NewId("ticket");
        var state = new GrainState<ConformanceState>(new ConformanceState { Text = "to clear" });
        await Storage.WriteStateAsync(StateName, id, state);
        var beforeClear = state.ETag;

        await Storage.ClearStateAsync(StateName, id, state);
        var read = await Read(id);

        Assert.Equal(string.Empty, read.State!.Text);
        Assert.False(read.RecordExists);
        Assert.NotEqual(beforeClear, state.ETag);

        // A writer still holding the etag from before the clear is stale; one that saw the clear is not.
        var stale = new GrainState<ConformanceState>(new ConformanceState { Text = "stale" }) { ETag = beforeClear };
        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, id, stale));
        state.State = new ConformanceState { Text = "after clear" };
        await Storage.WriteStateAsync(StateName, id, state);
        Assert.Equal("after clear", (await Read(id)).State!.Text);
    }

    [SkippableFact]
    public async Task Clearing_with_a_stale_etag_fails_and_keeps_the_state()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);
        var id = NewId("ticket");
        var state = new GrainState<ConformanceState>(new ConformanceState { Text = "keep me" });
        await Storage.WriteStateAsync(StateName, id, state);
        var stale = new GrainState<ConformanceState>(new ConformanceState()) { ETag = state.ETag };
        await Storage.WriteStateAsync(StateName, id, state);

        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => Storage.ClearStateAsync(StateName, id, stale));

        Assert.Equal("keep me", (await Read(id)).State!.Text);
    }

    [SkippableFact]
    public async Task A_state_of_one_megabyte_round_trips_intact()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);
        var id = NewId("monitor");
        var blob = new byte[1024 * 1024];
        new Random(7).NextBytes(blob);

        await Storage.WriteStateAsync(StateName, id, new GrainState<ConformanceState>(new ConformanceState { Blob = blob }));

        Assert.Equal(blob, (await Read(id)).State!.Blob);
    }

    [SkippableFact]
    public async Task Many_grain_types_ids_and_state_names_stay_apart()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);
        var key = Guid.NewGuid().ToString("N");
        string[] types = ["ticket", "customer", "monitor", "escalation"];
        string[] stateNames = ["state", "audit"];

        foreach (var type in types)
        {
            foreach (var name in stateNames)
            {
                await Storage.WriteStateAsync(name, GrainId.Create(type, key), new GrainState<ConformanceState>(new ConformanceState { Text = $"{type}/{name}" }));
            }
        }

        foreach (var type in types)
        {
            foreach (var name in stateNames)
            {
                var read = new GrainState<ConformanceState>();
                await Storage.ReadStateAsync(name, GrainId.Create(type, key), read);
                Assert.Equal($"{type}/{name}", read.State!.Text);
            }
        }
    }

    [SkippableFact]
    public async Task Ids_whose_hashes_collide_stay_apart()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);
        var storage = Store.CollidingGrainStorage;
        var ids = Enumerable.Range(0, 20).Select(_ => NewId("ticket")).ToArray();

        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            await storage.WriteStateAsync(StateName, id, new GrainState<ConformanceState>(new ConformanceState { Counter = i }));
        }

        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            var read = new GrainState<ConformanceState>();
            await storage.ReadStateAsync(StateName, id, read);
            Assert.Equal(i, read.State!.Counter);
        }
    }

    [SkippableFact]
    public async Task Concurrent_writers_to_different_grains_all_land()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);
        var ids = Enumerable.Range(0, 200).Select(_ => NewId("ticket")).ToArray();

        await Task.WhenAll(ids.Select((id, i) => Storage.WriteStateAsync(StateName, id, new GrainState<ConformanceState>(new ConformanceState { Counter = i }))));

        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(i, (await Read(ids[i])).State!.Counter);
        }
    }

    private static GrainId NewId(string type) => GrainId.Create(type, Guid.NewGuid().ToString("N"));

    private async Task<GrainState<ConformanceState>> Read(GrainId id)
    {
        var state = new GrainState<ConformanceState>();
        await Storage.ReadStateAsync(StateName, id, state);
        return state;
    }
}
