using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace SlaGrains.Application;

/// <summary>Registers the application layer's services (the host adds <see cref="ISlaNow"/>, the grain factory and the read models).</summary>
public static class ApplicationServices
{
    /// <summary>Adds every command and query service (each class marked <see cref="ApplicationServiceAttribute"/>).</summary>
    public static IServiceCollection AddSlaGrainsApplication(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<Monitors.CheckResultWindow>();
        foreach (var type in typeof(ApplicationServices).Assembly.GetTypes().Where(t => t.GetCustomAttribute<ApplicationServiceAttribute>() is not null))
        {
            services.AddSingleton(type);
        }

        // Every ticket source (the generic shape, each vendor's adapter) is one singleton the integration commands find by name.
        foreach (var type in typeof(ApplicationServices).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(Integrations.ITicketSource).IsAssignableFrom(t)))
        {
            services.AddSingleton(typeof(Integrations.ITicketSource), type);
        }

        return services;
    }
}
