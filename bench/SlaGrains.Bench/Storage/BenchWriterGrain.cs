using SlaGrains.Storage;

namespace SlaGrains.Bench.Storage;

/// <summary>A grain that persists its state on every call, like a ticket recording a clock transition.</summary>
public interface IBenchWriterGrain : IGrainWithIntegerKey
{
    /// <summary>Sets the counter and writes the state; returns once the store acknowledged it.</summary>
    Task Write(int counter);
}

/// <summary>About the size of a ticket's SLA state: a counter and 1 KiB of payload.</summary>
[GenerateSerializer]
[Alias("slagrains.bench.writer-state")]
public sealed class BenchState
{
    [Id(0)]
    public int Counter { get; set; }

    [Id(1)]
    public byte[] Payload { get; set; } = [];

    /// <summary>The payload every benchmark writes (fixed, so plain upserts write the very same bytes).</summary>
    public static byte[] SamplePayload { get; } = CreatePayload();

    private static byte[] CreatePayload()
    {
        var payload = new byte[1024];
        new Random(42).NextBytes(payload);
        return payload;
    }
}

/// <inheritdoc cref="IBenchWriterGrain" />
public sealed class BenchWriterGrain([PersistentState("state", SlaGrainsStorage.GrainStorageName)] IPersistentState<BenchState> state)
    : Grain, IBenchWriterGrain
{
    /// <inheritdoc />
    public Task Write(int counter)
    {
        state.State.Counter = counter;
        state.State.Payload = BenchState.SamplePayload;
        return state.WriteStateAsync();
    }
}
