using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;
using SlaGrains.Grains;
using SlaGrains.Testing;

namespace SlaGrains.Application.Tests;

/// <summary>
/// The application layer on real parts: one silo configured as the product configures it (SQLite file, grains, read
/// models), the services resolved from it, and callers of each role.
/// </summary>
public sealed class ApplicationWorld : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("slagrains-app-").FullName;
    private IHost _silo = null!;

    public IServiceProvider Services => _silo.Services;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public Caller Manager { get; } = new("mia", UserRole.Manager, null, null, IngestionOnly: false);

    public Caller Technician { get; } = new("tom", UserRole.Technician, null, "desk", IngestionOnly: false);

    public T Get<T>()
        where T : notnull
        => Services.GetRequiredService<T>();

    public static Caller CustomerUser(string customerId, string name = "cora") => new(name, UserRole.Customer, customerId, null, IngestionOnly: false);

    public async Task InitializeAsync()
    {
        _silo = await ConfiguredSilo.StartAsync(
            [$"--Storage:SqlitePath={Path.Combine(_directory, "sla.db")}"],
            silo =>
            {
                silo.AddSlaGrains();
                silo.Services.AddSingleton<ISlaNow, SystemNow>();
                silo.Services.AddSlaGrainsApplication();
            });
    }

    public async Task DisposeAsync()
    {
        await _silo.StopAsync();
        _silo.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A customer on a 24×7 calendar whose policy gives every priority the same first-response and resolution targets (P1 halves them).</summary>
    public async Task<string> CustomerAsync(Duration? firstResponse = null, Duration? resolution = null)
    {
        var id = $"c-{Guid.NewGuid():N}"[..20];
        await Grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key).Register(new CustomerEntry(id, $"Customer {id}", SystemClock.Instance.GetCurrentInstant(), null));
        var customer = Grains.GetGrain<ICustomerGrain>(id);
        Assert.True((await customer.SetCalendar(BusinessCalendar.AlwaysOpen)).Accepted);
        var fr = firstResponse ?? Duration.FromHours(2);
        var res = resolution ?? Duration.FromHours(8);
        var targets = Enum.GetValues<TicketPriority>().ToDictionary(
            p => p,
            p => p == TicketPriority.P1
                ? new PriorityTargets(fr / 2, res / 2, coverage: CoverageHours.AroundTheClock)
                : new PriorityTargets(fr, res, coverage: CoverageHours.AroundTheClock));
        Assert.True((await customer.SetTier(new SlaPolicy("Test", targets))).Accepted);
        return id;
    }

    private sealed class SystemNow : ISlaNow
    {
        public Instant Now => SystemClock.Instance.GetCurrentInstant();
    }
}
