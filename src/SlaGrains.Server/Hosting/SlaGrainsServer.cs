using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using SlaGrains.Grains;
using SlaGrains.Server.Api;
using SlaGrains.Server.Api.Json;
using SlaGrains.Server.Live;
using SlaGrains.Server.Security;
using SlaGrains.Storage;

namespace SlaGrains.Server.Hosting;

/// <summary>
/// The composition root: one process co-hosts an Orleans silo (storage from <c>Storage:*</c>, see
/// <see cref="SlaGrainsStorage"/>) with the REST API, the UI, the SignalR hub and health endpoints; with
/// <c>Orleans:Role=client</c> (see <see cref="OrleansRole"/>) it hosts no silo and joins the silos' cluster as an
/// Orleans client instead, a web front-end serving the same.
/// </summary>
public static class SlaGrainsServer
{
    /// <summary>Builds the application from command-line arguments, <c>appsettings.json</c> and the environment.</summary>
    public static WebApplication Build(string[] args)
    {
        // The content root is the folder of the server's own files (the build or publish output, where appsettings.json
        // and wwwroot are), not the working directory: `dotnet run --project src/SlaGrains.Server` from the repository
        // root, a service manager or a container all read the same settings and logging levels. Data paths are not
        // affected: a relative Storage:SqlitePath (default ./data/slagrains.db) still counts from the working directory,
        // where the README and earlier versions put it, so an existing database is found where it was.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = NormalizeArguments(args),
            ContentRootPath = AppContext.BaseDirectory,
        });

        // SLAGRAINS__DEMO=true, SLAGRAINS__STORAGE__PROVIDER=postgresql, ...: our own prefix, read after the defaults.
        builder.Configuration.AddEnvironmentVariables(prefix: "SLAGRAINS__");
        builder.Configuration.AddCommandLine(NormalizeArguments(args));

        // Serve the UI's and MudBlazor's static files from the build output in every environment (a published app has
        // them in wwwroot and no manifest, so this does nothing there).
        builder.WebHost.UseStaticWebAssets();

        // Fail at start, not hours later, on a retention that is not one.
        var keepResults = ReadModelRetention.CheckResultRetention(builder.Configuration);
        var client = OrleansRole.IsClient(builder.Configuration);
        if (client)
        {
            builder.Services.AddSingleton<ClusterClientConnection>();
            builder.Services.AddSingleton<IClientConnectionRetryFilter>(services => services.GetRequiredService<ClusterClientConnection>());
            builder.UseOrleansClient(orleans => orleans
                .UseSlaGrainsClustering(builder.Configuration)
                .AddGatewayCountChangedHandler(services => services.GetRequiredService<ClusterClientConnection>().GatewayCountChanged)
                .AddClusterConnectionLostHandler(services => services.GetRequiredService<ClusterClientConnection>().ConnectionLost)
                .AddSlaGrainsClient());
            builder.Services.AddHealthChecks().AddCheck<ClientReadyCheck>("cluster-client", tags: ["ready"]);
            builder.Services.AddSlaGrainsReadModels(builder.Configuration);
        }
        else
        {
            builder.UseOrleans(silo => silo.UseSlaGrainsStorage(builder.Configuration).AddSlaGrains());
            builder.Services.AddHealthChecks().AddCheck<SiloReadyCheck>("silo", tags: ["ready"]);
            if (builder.Configuration.GetValue("ReadModels:RepairOnStart", defaultValue: true))
            {
                builder.Services.AddHostedService<ReadModelReconciliation>();
            }

            builder.Services.AddHostedService<ReadModelRetention>();
        }

        builder.Services.AddSingleton<SlaClock>();
        builder.Services.AddSingleton<ISlaNow>(services => services.GetRequiredService<SlaClock>());
        builder.Services.AddSlaGrainsApplication();
        SlaGrains.Grains.Outbound.OutboundHttp.AddOutboundTargets(builder.Services, builder.Configuration);
        builder.Services.Configure<SlaGrains.Application.Monitors.CheckResultWindow>(window =>
        {
            var skew = builder.Configuration.GetValue("Monitors:MaxClockSkewSeconds", 300);
            window.Ahead = skew is >= 0 and <= 86_400
                ? Duration.FromSeconds(skew)
                : throw new InvalidOperationException($"Monitors:MaxClockSkewSeconds must be 0–86400; got {skew}.");
            window.Behind = keepResults;
        });
        builder.Services.AddSlaGrainsSecurity();
        builder.Services.AddSlaGrainsDataProtection(builder.Configuration);
        builder.Services.AddProblemDetails(Problems.Explain);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(options => ConfigureJson(options.SerializerOptions));
        builder.Services.AddOpenApi("v1", options => options.AddKeyScopes());
        builder.Services.AddSignalR().AddJsonProtocol(options => ConfigureJson(options.PayloadSerializerOptions));
        builder.Services.AddSingleton<TechnicianConnections>();
        builder.Services.AddHostedService<LiveFeedBridge>();
        builder.Services.AddSlaGrainsUi();
        builder.Services.AddSlaGrainsMetrics();

        // Email, Slack and Teams messages are rendered from the UI's Razor templates, with links to App:PublicUrl.
        PublicUrl.Configured(builder.Configuration);
        builder.Services.AddSingleton<PublicUrl>();
        builder.Services.AddSingleton(services => new SlaGrains.Ui.Mail.MailLinks(services.GetRequiredService<PublicUrl>().Get));
        builder.Services.AddSingleton<SlaGrains.Contracts.Channels.IMessageRenderer, SlaGrains.Ui.Mail.MailRenderer>();
        // Contacts' monthly statements carry the report's PDF, which only the server can draw.
        builder.Services.AddSingleton<SlaGrains.Contracts.Customers.IStatementRenderer, SlaGrains.Server.Reports.StatementRenderer>();
        builder.Services.AddSlaGrainsRequestLimits(builder.Configuration);
        builder.Services.AddSingleton<Demo.DemoSeeder>();
        builder.Services.AddHostedService<FirstRun>();

        // No "Server: Kestrel": it only tells a scanner what to try.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        var app = builder.Build();
        app.UseHardeningHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Pages read and write numbers in the browser's culture (Accept-Language); the API stays culture-neutral.
        SlaGrains.Ui.Services.FormCulture.UseSlaGrainsUiCulture(app);
        app.UseAuthentication();
        app.UseTwoFactorRequirement();
        app.UseAuthorization();
        app.UseMiddleware<KeyScopeMiddleware>();
        app.UseSlaGrainsRequestLimits();
        app.UseMiddleware<CookieAntiforgeryMiddleware>();
        app.UseAntiforgery();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapSlaGrainsApi();
        app.MapSlaGrainsMetrics();
        app.MapHub<SlaHub>("/hubs/sla");
        app.MapSlaGrainsUi();
        return app;
    }

    /// <summary>The JSON conventions of the API and the hub: camelCase names, enums as camelCase strings (only: a number is refused, not read as a value outside the enum).</summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        foreach (var converter in NodaTimeJson.Converters)
        {
            options.Converters.Add(converter);
        }
    }

    /// <summary>A bare <c>--demo</c> flag becomes <c>--Demo=true</c> (configuration switches need a value).</summary>
    private static string[] NormalizeArguments(string[] args)
        => [.. args.Select(a => string.Equals(a, "--demo", StringComparison.OrdinalIgnoreCase) ? "--Demo=true" : a)];
}
