using Npgsql;
using SlaGrains.Storage.ReadModels;
using SlaGrains.Storage.Tests.Conformance;
using SlaGrains.Testing;

namespace SlaGrains.Storage.Tests.ReadModels;

/// <summary>The PostgreSQL store: a throwaway server and a silo on it (<c>Storage:Provider=postgresql</c>).</summary>
public sealed class PostgresReadModelFixture : ReadModelFixture
{
    private readonly ThrowawayPostgres _server = new();

    public string ConnectionString => _server.ConnectionString;

    public override async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        if (_server.Unavailable is not null)
        {
            Unavailable = _server.Unavailable;
            return;
        }

        await StartAsync("--Storage:Provider=postgresql", $"--Storage:ConnectionString={_server.ConnectionString}");
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            await _server.DisposeAsync();
        }
    }
}

public sealed class PostgresReadModelTests(PostgresReadModelFixture store)
    : TicketReadModelConformance<PostgresReadModelFixture>(store), IClassFixture<PostgresReadModelFixture>
{
    /// <summary>
    /// What the stale check relies on: Orleans' ADO.NET provider behind <c>FullIdentityGrainStorage</c> stores a
    /// ticket grain's state with the whole grain id <c>ticket/{id}</c> as a string key (N0 = N1 = 0), the state name as
    /// GrainTypeString, and a Version column whose text is the ETag the grain gets back from its write.
    /// </summary>
    [SkippableFact]
    public async Task A_ticket_grain_state_row_is_keyed_by_its_whole_grain_id_and_its_version_is_the_etag()
    {
        Skip.If(Store.Unavailable is not null, Store.Unavailable);
        var ticketId = "T-" + Guid.NewGuid().ToString("N")[..8];
        var state = new GrainState<ConformanceState>(new ConformanceState { Text = "first" });
        await Store.GrainStorage.WriteStateAsync(TicketGrainState.StateName, GrainId.Create(TicketGrainState.GrainType, ticketId), state);
        await Store.GrainStorage.WriteStateAsync(TicketGrainState.StateName, GrainId.Create(TicketGrainState.GrainType, ticketId), state);

        await using var connection = new NpgsqlConnection(Store.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, Version FROM slagrains_grain_state WHERE GrainIdExtensionString = @key",
            connection);
        command.Parameters.AddWithValue("key", $"ticket/{ticketId}");
        await using var reader = await command.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync(), "no grain state row keyed ticket/{id}");
        Assert.Equal("slagrains", reader.GetString(0));
        Assert.Equal(TicketGrainState.StateName, reader.GetString(1));
        Assert.Equal(0L, reader.GetInt64(2));
        Assert.Equal(0L, reader.GetInt64(3));
        Assert.Equal(state.ETag, reader.GetInt32(4).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("2", state.ETag);
        Assert.False(await reader.ReadAsync());
    }
}
