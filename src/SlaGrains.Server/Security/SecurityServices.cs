using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using SlaGrains.Contracts.Accounts;

namespace SlaGrains.Server.Security;

/// <summary>Sign-in for people (cookie), API keys for machines, and anti-forgery for cookie-authenticated changes.</summary>
internal static class SecurityServices
{
    private const string PolicyScheme = "SlaGrains";

    public static IServiceCollection AddSlaGrainsSecurity(this IServiceCollection services)
    {
        services.AddAuthentication(PolicyScheme)
            .AddPolicyScheme(PolicyScheme, "API key or cookie", options =>
                options.ForwardDefaultSelector = context => context.Request.Headers.ContainsKey(ApiKeys.Header) ? ApiKeys.Scheme : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "slagrains.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;

                // Secure whenever the request came over HTTPS (plain HTTP on loopback still signs in).
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.LoginPath = "/signin";

                // Each request's cookie must still carry the user's security stamp and be younger than the absolute lifetime.
                options.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<SessionValidation>().ValidateAsync(context);

                // The API and the hub answer 401/403; only pages redirect to the sign-in page.
                options.Events.OnRedirectToLogin = context => Answer(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => Answer(context, StatusCodes.Status403Forbidden);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeys.Scheme, _ => { });
        services.AddAuthorization();
        services.AddAntiforgery(options =>
        {
            options.HeaderName = CookieAntiforgeryMiddleware.HeaderName;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        services.AddOptions<SignInLimitOptions>().BindConfiguration("SignIn");
        services.AddOptions<SessionOptions>().BindConfiguration("Sessions");
        services.AddSingleton<SignInLimits>();
        services.AddSingleton<SessionValidation>();
        services.AddSingleton<ApiKeyUseNotes>();

        // Before the UI's own registration (a TryAdd), so open circuits are revalidated too.
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, CircuitSessionRevalidation>();
        services.AddSingleton<SignInService>();
        services.AddOptions<SlaGrains.Application.Accounts.TwoFactorOptions>().BindConfiguration("Security");
        services.AddSingleton<TwoFactorSignIn>();
        services.AddSingleton<SlaGrains.Ui.Services.ITwoFactorSession, TwoFactorSession>();
        return services;
    }

    private static Task Answer(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}

/// <summary>
/// A state change made with a sign-in cookie must carry the anti-forgery token (header <see cref="HeaderName"/>,
/// from <c>GET /api/v1/auth/antiforgery</c>): a cookie alone, which a browser attaches to any site's request, is not
/// enough. API-key requests carry no ambient credential and need none.
/// </summary>
internal sealed class CookieAntiforgeryMiddleware(RequestDelegate next, IAntiforgery antiforgery, IProblemDetailsService problems)
{
    public const string HeaderName = "X-XSRF-TOKEN";

    public async Task InvokeAsync(HttpContext context)
    {
        var unsafeMethod = !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method));
        var byCookie = context.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme };
        if (unsafeMethod && byCookie && context.Request.Path.StartsWithSegments("/api"))
        {
            try
            {
                await antiforgery.ValidateRequestAsync(context);
            }
            catch (AntiforgeryValidationException)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Title = "Missing or invalid anti-forgery token.",
                        Detail = $"Changes made with a sign-in cookie need the {HeaderName} header from GET /api/v1/auth/antiforgery.",
                    },
                });
                return;
            }
        }

        await next(context);
    }
}
