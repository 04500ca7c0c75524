using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using MudBlazor.Services;
using SlaGrains.Application.Dashboard;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Server.Security;
using SlaGrains.Ui;

namespace SlaGrains.Server.Hosting;

/// <summary>
/// Hosts the Blazor UI (interactive server rendering) and the plain form endpoints it needs: a cookie can only be
/// set by an HTTP response, so sign-in and sign-out are form posts; the status page's CSV export is a download.
/// </summary>
internal static class UiHosting
{
    /// <summary>The largest message a page's connection takes, in bytes (SignalR's default is 32 KB).</summary>
    public const int MaxMessageBytes = 512 * 1024;

    public static void AddSlaGrainsUi(this IServiceCollection services)
    {
        // The longest fields (a calendar's holidays with names, 60,000 characters; its special hours, 40,000) are up to
        // 360 KB in one message: the 32 KB default would drop the connection mid-paste and lose what was typed. Circuits
        // are for signed-in users only.
        services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(hub => hub.MaximumReceiveMessageSize = MaxMessageBytes);
        services.AddCascadingAuthenticationState();
        services.AddScoped<SlaGrains.Ui.Services.ViewerTime>();
        // Toasts at the bottom left, narrow: they never cover the app bar or the inbox's SLA health panel (top right).
        services.AddMudServices(config =>
        {
            config.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomLeft;
            config.SnackbarConfiguration.MaxDisplayedSnackbars = 3;
        });
    }

    public static void MapSlaGrainsUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapGet("/", (ClaimsPrincipal user) => Results.Redirect(user.Identity?.IsAuthenticated == true ? Landing(Caller.From(user)) : "/signin")).ExcludeFromDescription();
        app.MapPost("/signin", SignIn).AllowAnonymous().ExcludeFromDescription();
        app.MapPost(TwoFactorPages.CodePage, TwoFactorPages.SignIn).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/signout", async (HttpContext http, SignInService signIn) =>
        {
            await signIn.EndSessionsAsync(http.User);
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/signin");
        }).ExcludeFromDescription();
        app.MapGet("/api/v1/customers/{id}/dashboard.csv", ExportCsv).RequireAuthorization().WithTags("Customers")
            .WithSummary("The status page's 12 months as CSV (month, availability, target, met, downtime minutes, incidents, credit).");
    }

    /// <summary>Where a role lands after signing in.</summary>
    public static string Landing(Caller caller) => caller.Role switch
    {
        UserRole.Customer when caller.CustomerId is { } customer => $"/status/{Uri.EscapeDataString(customer)}",
        UserRole.Technician => "/board",
        _ => "/inbox",
    };

    private static async Task<IResult> SignIn([FromForm] string? userName, [FromForm] string? password, HttpContext http, SignInService signIn, TwoFactorSignIn twoFactor)
    {
        // Refusals (wrong password, too many attempts, overlong input) go back to the form with the message.
        var outcome = await signIn.CheckAsync(userName ?? string.Empty, password ?? string.Empty, http.Connection.RemoteIpAddress);
        if (outcome.User is not { } user)
        {
            return Results.Redirect($"/signin?error={Uri.EscapeDataString(outcome.Failure ?? "Sign-in failed.")}");
        }

        // Two-factor sign-in: no session yet; the continuation waits in its own short cookie for the code's page.
        if (await twoFactor.NeededFor(user))
        {
            TwoFactorPages.KeepPending(http, twoFactor.Continue(user));
            return Results.Redirect(TwoFactorPages.CodePage);
        }

        var principal = twoFactor.PrincipalFor(user, verified: false);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        return Results.Redirect(Landing(Caller.From(principal)));
    }

    private static async Task<IResult> ExportCsv(string id, ClaimsPrincipal user, StatusPage statusPage)
    {
        var result = await statusPage.Get(Caller.From(user), id);
        if (!result.Succeeded)
        {
            return Api.ApiResults.Problem(result.Failure);
        }

        var page = result.Value;
        using var csv = new Api.CsvText();
        csv.Row("month", "availability_pct", "sla_target_pct", "met_sla", "downtime_minutes", "incident_count", "credit_amount", "in_progress", "verdict", "coverage_pct");
        foreach (var m in page.Historical)
        {
            csv.Row(m.Month, m.AvailabilityPct, m.SlaTargetPct, m.MetSla, m.DowntimeMinutes, m.IncidentCount, m.CreditAmount, m.InProgress, m.Verdict, m.CoveragePct);
        }

        return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", $"{id}-availability.csv");
    }
}
