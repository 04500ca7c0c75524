namespace SlaGrains.Server.Demo;

/// <summary>Fills a new database with a realistic MSP (see <see cref="SeedAsync"/>).</summary>
internal sealed class DemoSeeder
{
    /// <summary>Creates the demo data; returns the demo users with their passwords and roles.</summary>
    public Task<IReadOnlyList<(string User, string Password, string Role)>> SeedAsync(CancellationToken cancellationToken)
        => throw new NotImplementedException("The demo seeder is being written.");
}
