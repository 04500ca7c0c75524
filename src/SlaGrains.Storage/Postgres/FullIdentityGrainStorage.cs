using Orleans.Storage;

namespace SlaGrains.Storage.Postgres;

/// <summary>
/// Hands Orleans' ADO.NET grain storage a grain id whose key is the whole grain id (<c>type/key</c>), so rows are
/// told apart by grain type and exact key.
/// </summary>
/// <remarks>
/// Orleans 10.4.2's <c>AdoNetGrainStorage</c> builds its row key from the key part of the grain id only, and parses
/// that key as a GUID or an integer when it can: two grain types with the same key and state name share one row
/// (dotnet/orleans#8746, #9737), and string keys such as <c>"020235"</c> and <c>"20235"</c> parse to the same
/// integer (dotnet/orleans#9706). Passing <c>GrainId.Create(type, "type/key")</c> instead makes the key a plain
/// string (it contains a '/', so it never parses as a number or GUID) that carries the grain type. Everything
/// else — SQL, etags, serialization, hashing — is Orleans' provider unchanged.
/// </remarks>
internal sealed class FullIdentityGrainStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The grain id Orleans' provider sees for <paramref name="grainId"/>.</summary>
    public static GrainId StorageId(GrainId grainId) => GrainId.Create(grainId.Type, IdSpan.Create(grainId.ToString()));

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => inner.ReadStateAsync(stateName, StorageId(grainId), grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => StorageMetrics.Timed(() => inner.WriteStateAsync(stateName, StorageId(grainId), grainState), StorageMetrics.GrainState, StorageMetrics.Postgres);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => StorageMetrics.Timed(() => inner.ClearStateAsync(stateName, StorageId(grainId), grainState), StorageMetrics.GrainState, StorageMetrics.Postgres);

    public void Participate(ISiloLifecycle lifecycle)
        => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);
}
