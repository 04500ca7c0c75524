using Xunit.Abstractions;

namespace SlaGrains.Server.Tests.Fuzz;

/// <summary>
/// The sweep of issue 14 on SQLite: every operation of the server's own OpenAPI document gets malformed requests (see
/// <see cref="MalformedRequests"/>) as the admin, and a fixed-seed sample of them as a customer user, a customer key,
/// an ingestion key and nobody. None may answer 5xx, every 4xx is a problem+json that names no internals, none is
/// accepted (a 2xx would be a missing bound), and the server's state reads the same before and after.
/// </summary>
public sealed class MalformedRequestTests(FuzzWorld world, ITestOutputHelper output) : IClassFixture<FuzzWorld>
{
    [Fact]
    public async Task Malformed_requests_to_every_operation_never_give_5xx_or_change_state()
        => await new FuzzSweep(world, output).RunAsync(everyNth: 1, atLeast: 3_000);
}
