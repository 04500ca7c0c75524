using Microsoft.Extensions.DependencyInjection;
using SlaGrains.Application.ReadModels;
using SlaGrains.Application.Tickets;

namespace SlaGrains.Application;

/// <summary>Registers the application layer's services (the host adds <see cref="ISlaNow"/>, the grain factory and the read models).</summary>
public static class ApplicationServices
{
    /// <summary>Adds every command and query service.</summary>
    public static IServiceCollection AddSlaGrainsApplication(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<TicketCommands>();
        services.AddSingleton<TicketQueries>();
        services.AddSingleton<ReadModelRepair>();
        return services;
    }
}
