using Microsoft.AspNetCore.Authentication.Cookies;
using SlaGrains.Application.Accounts;

namespace SlaGrains.Server.Security;

/// <summary>
/// <c>Security:RequireTwoFactorForAdmins</c>: an admin signed in without a second factor (their cookie says
/// <see cref="TwoFactorCommands.EnrolmentRequired"/>) may only enrol. The enrolment page, sign-in and sign-out, the
/// enrolment API and static files go through; a page is redirected to the enrolment page, anything else (the API,
/// the hubs, interactive pages' connection) answers 403 saying why.
/// </summary>
internal static class TwoFactorRequirement
{
    /// <summary>The enrolment page.</summary>
    public const string EnrolmentPage = "/security";

    private static readonly PathString[] Open =
    [
        EnrolmentPage, "/signin", "/signout", "/api/v1/auth", "/api/v1/me/two-factor", "/_framework", "/_content",
    ];

    public static IApplicationBuilder UseTwoFactorRequirement(this IApplicationBuilder app)
        => app.Use(async (context, next) =>
        {
            if (context.User.Identity is not { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme }
                || !TwoFactorCommands.MustEnrol(context.User)
                || Open.Any(open => context.Request.Path.StartsWithSegments(open)))
            {
                await next(context);
                return;
            }

            var path = context.Request.Path;
            var page = HttpMethods.IsGet(context.Request.Method) && !path.StartsWithSegments("/api") && !path.StartsWithSegments("/hubs") && !path.StartsWithSegments("/_blazor");
            if (page)
            {
                context.Response.Redirect(EnrolmentPage);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status403Forbidden,
                    Title = "Two-factor sign-in required",
                    Detail = $"Admins must use two-factor sign-in here (Security:RequireTwoFactorForAdmins): enrol first on {EnrolmentPage} or with POST /api/v1/me/two-factor/enrolment and POST /api/v1/me/two-factor/enrolment/confirm.",
                },
            });
        });
}
