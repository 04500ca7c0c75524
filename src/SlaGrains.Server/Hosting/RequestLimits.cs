using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;

namespace SlaGrains.Server.Hosting;

/// <summary>
/// How much a request may send. A caller that is not signed in, or any caller of an endpoint open to anonymous
/// callers (the tools, sign-in), may send a body of at most 64 KB; a signed-in caller at most
/// <c>Api:MaxRequestBodyBytes</c> (default 1 MB). A larger body is refused with 413 problem+json before it is read
/// (when its length is declared) or as soon as the limit is passed while reading (chunked). Also: the rate limits
/// (<see cref="RateLimits"/>) and the Blazor circuit gate (<see cref="Circuits"/>).
/// </summary>
/// <remarks>
/// Kestrel answers a malformed request line (400), a URI over its 8 KB line limit (414) and headers over 32 KB (431)
/// itself, before any middleware runs: those answers have no body and cannot be problem details.
/// </remarks>
internal static class RequestLimits
{
    /// <summary>The most an anonymous caller, or any caller of an anonymous endpoint, may send.</summary>
    public const long AnonymousBodyBytes = 64 * 1024;

    private const long DefaultApiBodyBytes = 1024 * 1024;

    /// <summary>Registers the limits, the rate limiter and the circuit gate.</summary>
    public static IServiceCollection AddSlaGrainsRequestLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var apiBytes = ApiBodyBytes(configuration);

        // Kestrel's own ceiling (30 MB by default) lowered to the API's, for anything that reads a body before us.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = apiBytes);
        services.AddSlaGrainsRateLimits();
        services.AddSlaGrainsCircuits();
        return services;
    }

    /// <summary>
    /// The limits in the pipeline, after authentication and authorization (who the caller is, and no body is read for
    /// a caller that is refused anyway): rate limits, body size, circuits.
    /// </summary>
    public static IApplicationBuilder UseSlaGrainsRequestLimits(this IApplicationBuilder app)
    {
        var apiBytes = ApiBodyBytes(app.ApplicationServices.GetRequiredService<IConfiguration>());
        app.UseRateLimiter();
        app.Use(async (context, next) =>
        {
            var anonymous = context.User.Identity?.IsAuthenticated != true
                || context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var limit = anonymous ? Math.Min(AnonymousBodyBytes, apiBytes) : apiBytes;
            if (context.Request.ContentLength > limit)
            {
                await TooLargeAsync(context, limit);
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = limit;
            }

            try
            {
                await next(context);
            }
            catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
            {
                await TooLargeAsync(context, limit);
            }
        });
        app.UseSlaGrainsCircuits();
        return app;
    }

    /// <summary><c>Api:MaxRequestBodyBytes</c>, checked.</summary>
    public static long ApiBodyBytes(IConfiguration configuration)
    {
        var bytes = configuration.GetValue("Api:MaxRequestBodyBytes", DefaultApiBodyBytes);
        return bytes > 0 ? bytes : throw new InvalidOperationException($"Api:MaxRequestBodyBytes must be at least 1; got {bytes}.");
    }

    private static Task TooLargeAsync(HttpContext context, long limit)
    {
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;

        // The rest of the body is not read: close the connection rather than drain it.
        context.Response.Headers.Connection = "close";
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "Request body too large",
                Detail = $"This request may send at most {limit:N0} bytes.",
            },
        }).AsTask();
    }
}
