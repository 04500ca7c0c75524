using Npgsql;
using SlaGrains.Storage.Postgres;

namespace SlaGrains.Storage.Tests.Postgres;

public sealed class PostgresConnectionTuningTests
{
    [Fact]
    public void Orleans_connections_keep_their_prepared_statements_across_pooled_opens()
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresConnectionTuning.Apply("Host=db;Database=sla;Username=sla"));

        Assert.True(tuned.NoResetOnClose);
        Assert.Equal(32, tuned.MaxAutoPrepare);
        Assert.Equal("db", tuned.Host);
    }

    [Fact]
    public void Settings_the_operator_chose_are_kept()
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresConnectionTuning.Apply("Host=db;No Reset On Close=false;Max Auto Prepare=0"));

        Assert.False(tuned.NoResetOnClose);
        Assert.Equal(0, tuned.MaxAutoPrepare);
    }
}
