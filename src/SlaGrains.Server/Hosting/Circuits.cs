using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;

namespace SlaGrains.Server.Hosting;

/// <summary>
/// Who may hold a Blazor circuit, and how many: each circuit holds server memory for as long as it lives, so an
/// anonymous caller gets none (<c>/_blazor</c> answers 401; the pages it can reach render static), and a signed-in
/// user at most <c>Ui:MaxCircuitsPerUser</c> (default 20) at once; past that, negotiate and connect answer 429.
/// A circuit is one WebSocket connection to <c>/_blazor</c>, counted while it is open; the fallback transports
/// (server-sent events, long polling) are refused, so every circuit is counted.
/// </summary>
internal sealed class Circuits(int maxPerUser)
{
    private const int DefaultMaxPerUser = 20;

    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    public int MaxPerUser { get; } = maxPerUser;

    /// <summary>The user's open circuits.</summary>
    public int OpenFor(string user) => _open.TryGetValue(user, out var count) ? count : 0;

    /// <summary>Takes a slot for <paramref name="user"/>; false when all are taken.</summary>
    public bool TryOpen(string user)
    {
        while (true)
        {
            var count = OpenFor(user);
            if (count >= MaxPerUser)
            {
                return false;
            }

            if (count == 0 ? _open.TryAdd(user, 1) : _open.TryUpdate(user, count + 1, count))
            {
                return true;
            }
        }
    }

    /// <summary>Gives back a slot taken by <see cref="TryOpen"/>.</summary>
    public void Close(string user)
    {
        while (true)
        {
            var count = OpenFor(user);
            if (count <= 1 ? _open.TryRemove(new KeyValuePair<string, int>(user, count)) : _open.TryUpdate(user, count - 1, count))
            {
                return;
            }
        }
    }

    /// <summary>The key a user's circuits are counted under: the user name (or an API key's name).</summary>
    public static string? UserOf(ClaimsPrincipal user)
        => user.Identity is { IsAuthenticated: true } identity ? identity.Name ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "?" : null;

    public static int Configured(IConfiguration configuration)
    {
        var max = configuration.GetValue("Ui:MaxCircuitsPerUser", DefaultMaxPerUser);
        return max > 0 ? max : throw new InvalidOperationException($"Ui:MaxCircuitsPerUser must be at least 1; got {max}.");
    }
}

/// <summary>Registers and applies the <see cref="Circuits"/> gate.</summary>
internal static class CircuitHosting
{
    private static readonly PathString Hub = "/_blazor";

    public static IServiceCollection AddSlaGrainsCircuits(this IServiceCollection services)
        => services.AddSingleton(services => new Circuits(Circuits.Configured(services.GetRequiredService<IConfiguration>())));

    /// <summary>After authentication: <c>/_blazor</c> for signed-in users only, and at most the cap of circuits each.</summary>
    public static IApplicationBuilder UseSlaGrainsCircuits(this IApplicationBuilder app)
    {
        var circuits = app.ApplicationServices.GetRequiredService<Circuits>();
        return app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(Hub, out var rest))
            {
                await next(context);
                return;
            }

            if (Circuits.UserOf(context.User) is not { } user)
            {
                await RefuseAsync(context, StatusCodes.Status401Unauthorized, "Sign in first", "Interactive pages are for signed-in users.");
                return;
            }

            if (rest.StartsWithSegments("/negotiate"))
            {
                if (circuits.OpenFor(user) >= circuits.MaxPerUser)
                {
                    await TooManyAsync(context, circuits);
                    return;
                }

                await next(context);
                return;
            }

            // The connection itself (/_blazor?id=…): only as a WebSocket, counted while it is open.
            if (!rest.HasValue || rest == "/")
            {
                if (!IsWebSocket(context))
                {
                    await RefuseAsync(context, StatusCodes.Status400BadRequest, "WebSockets only", "Interactive pages connect over WebSockets.");
                    return;
                }

                if (!circuits.TryOpen(user))
                {
                    await TooManyAsync(context, circuits);
                    return;
                }

                try
                {
                    await next(context);
                }
                finally
                {
                    circuits.Close(user);
                }

                return;
            }

            // Blazor's small side requests (/_blazor/disconnect, /_blazor/initializers) hold nothing.
            await next(context);
        });
    }

    /// <summary>
    /// A WebSocket upgrade (HTTP/1.1) or extended CONNECT (HTTP/2), read from the request itself: the WebSocket
    /// middleware that would say so runs later, inside the hub's endpoint.
    /// </summary>
    private static bool IsWebSocket(HttpContext context)
        => (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
                && context.Request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase))
            || (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect
                && string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase));

    private static Task TooManyAsync(HttpContext context, Circuits circuits)
        => RefuseAsync(context, StatusCodes.Status429TooManyRequests, "Too many open pages", $"A user may have at most {circuits.MaxPerUser} interactive pages open at once; close one and reload.");

    private static Task RefuseAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }
}
