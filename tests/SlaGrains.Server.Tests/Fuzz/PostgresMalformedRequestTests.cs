using Xunit.Abstractions;

namespace SlaGrains.Server.Tests.Fuzz;

/// <summary>The same sweep, every 8th request, on a server whose grains and read models live in PostgreSQL.</summary>
public sealed class PostgresMalformedRequestTests(PostgresFuzzWorld world, ITestOutputHelper output) : IClassFixture<PostgresFuzzWorld>
{
    [SkippableFact]
    public async Task Malformed_requests_on_PostgreSQL_never_give_5xx_or_change_state()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        await new FuzzSweep(world, output).RunAsync(everyNth: 8, atLeast: 800);
    }
}
