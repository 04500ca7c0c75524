using System.Net.Http.Json;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Server.Api;
using SlaGrains.Server.Demo;

namespace SlaGrains.Server.Tests.Demo;

/// <summary>A second start with <c>Demo=true</c> on the database the first one filled adds nothing.</summary>
public sealed class DemoRestartTests
{
    [Fact]
    public async Task A_second_start_on_the_same_database_does_not_seed_again()
    {
        var directory = Directory.CreateTempSubdirectory("slagrains-demo-restart-").FullName;
        try
        {
            var database = Path.Combine(directory, "sla.db");
            var serviceId = $"demo-restart-{Guid.NewGuid():N}";

            var first = new DemoOnFile(database, serviceId);
            await first.InitializeAsync();
            try
            {
                Assert.Equal(3, await CustomersAsync(first));
            }
            finally
            {
                await first.DisposeAsync();
            }

            var second = new DemoOnFile(database, serviceId);
            await second.InitializeAsync();
            try
            {
                Assert.Equal(3, await CustomersAsync(second));
                using var admin = await second.AdminAsync();
                var tickets = await admin.Http.GetFromJsonAsync<TicketPage>("api/v1/tickets?pageSize=200", SlaGrainsServerFixture.Json);
                Assert.Equal(50, tickets!.Total);
                var credits = await admin.Http.GetFromJsonAsync<CreditEntry[]>($"api/v1/customers/{DemoData.Spreeland}/credits", SlaGrainsServerFixture.Json);
                Assert.Equal(DemoSeeder.ClosedMonths, credits!.Length);

                // Seeding again would have announced every maintenance window a second time.
                var maintenance = await admin.Http.GetFromJsonAsync<MaintenanceView[]>("api/v1/monitors/hudson-dms/maintenance", SlaGrainsServerFixture.Json);
                Assert.Single(maintenance!);

                // The users and their passwords are the first start's.
                var user = DemoData.Users[0];
                using var session = await second.SignInAsync(user.UserName, user.Password);
            }
            finally
            {
                await second.DisposeAsync();
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<int> CustomersAsync(SlaGrainsServerFixture server)
    {
        using var admin = await server.AdminAsync();
        var customers = await admin.Http.GetFromJsonAsync<CustomerEntry[]>("api/v1/customers", SlaGrainsServerFixture.Json);
        return customers!.Length;
    }

    /// <summary>The demo server on a given SQLite file and Orleans service id (state rows are keyed by it), so that a second one finds the first's data.</summary>
    private sealed class DemoOnFile(string database, string serviceId) : SlaGrainsServerFixture
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
            [new("Demo", "true"), new("Storage:SqlitePath", database), new("Orleans:ServiceId", serviceId)];
    }
}
