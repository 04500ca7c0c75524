using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Storage;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Testing;

namespace SlaGrains.Storage.Tests.ReadModels;

/// <summary>
/// One store's read models as the conformance suite sees them: a real silo configured the way the product configures
/// it (<see cref="SlaGrainsStorage.UseSlaGrainsStorage"/> over <c>Storage:*</c> settings), the read models and grain
/// storage it resolved, and the queries a front-end that is only an Orleans client gets
/// (<see cref="SlaGrainsStorage.AddSlaGrainsReadModels"/>) on the same settings.
/// </summary>
public abstract class ReadModelFixture : IAsyncLifetime
{
    private IHost? _silo;
    private ServiceProvider? _frontEnd;

    /// <summary>Why this store cannot run here (PostgreSQL binaries missing on a developer machine); null when it can.</summary>
    public string? Unavailable { get; protected set; }

    public IReadModelWriter Writer { get; private set; } = null!;

    public ITicketReadModel Reads { get; private set; } = null!;

    public IEscalationReadModel Escalations { get; private set; } = null!;

    public IMonitorReadModel Monitors { get; private set; } = null!;

    public IReadModelMaintenance Maintenance { get; private set; } = null!;

    /// <summary>The silo's grain storage (<see cref="SlaGrainsStorage.GrainStorageName"/>), where ticket, escalation record and monitor grains keep their state.</summary>
    public IGrainStorage GrainStorage { get; private set; } = null!;

    /// <summary>The queries of a separate front-end process on the same settings.</summary>
    public ITicketReadModel FrontEndReads { get; private set; } = null!;

    /// <summary>The escalation queries of a separate front-end process on the same settings.</summary>
    public IEscalationReadModel FrontEndEscalations { get; private set; } = null!;

    /// <summary>The monitor queries of a separate front-end process on the same settings.</summary>
    public IMonitorReadModel FrontEndMonitors { get; private set; } = null!;

    public IServiceProvider SiloServices => _silo!.Services;

    public abstract Task InitializeAsync();

    public virtual async Task DisposeAsync()
    {
        if (_frontEnd is not null)
        {
            await _frontEnd.DisposeAsync();
        }

        if (_silo is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _silo.StopAsync(timeout.Token);
            _silo.Dispose();
        }
    }

    /// <summary>Starts the silo on <paramref name="settings"/> and resolves everything the suite uses.</summary>
    protected async Task StartAsync(params string[] settings)
    {
        _silo = await ConfiguredSilo.StartAsync(settings);
        Writer = _silo.Services.GetRequiredService<IReadModelWriter>();
        Reads = _silo.Services.GetRequiredService<ITicketReadModel>();
        Escalations = _silo.Services.GetRequiredService<IEscalationReadModel>();
        Monitors = _silo.Services.GetRequiredService<IMonitorReadModel>();
        Maintenance = _silo.Services.GetRequiredService<IReadModelMaintenance>();
        GrainStorage = _silo.Services.GetRequiredKeyedService<IGrainStorage>(SlaGrainsStorage.GrainStorageName);

        var configuration = new ConfigurationBuilder().AddCommandLine(settings).Build();
        _frontEnd = new ServiceCollection().AddSlaGrainsReadModels(configuration).BuildServiceProvider();
        FrontEndReads = _frontEnd.GetRequiredService<ITicketReadModel>();
        FrontEndEscalations = _frontEnd.GetRequiredService<IEscalationReadModel>();
        FrontEndMonitors = _frontEnd.GetRequiredService<IMonitorReadModel>();
    }
}
