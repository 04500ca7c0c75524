using OtpNet;
using SlaGrains.Server.Tests;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>Two-factor enrolment and sign-in in Chromium, as a person does it: the QR code, the secret, a code from "the app".</summary>
public sealed class TwoFactorPagesTests(BrowserWorld world) : IClassFixture<BrowserWorld>
{
    [SkippableFact]
    public async Task A_person_enrols_on_the_security_page_and_then_signs_in_with_password_and_code()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        await ServerScenario.UserAsync(admin.Http, "tf-browser", "technician");
        var page = await world.PageAsync();
        await page.AddInitScriptAsync("""
            window.__violations = 0;
            document.addEventListener('securitypolicyviolation', () => { window.__violations++; });
            """);
        await BrowserWorld.SignInAsync(page, "tf-browser", ServerScenario.Password("tf-browser"));

        // From the settings page to the security page; it starts with two-factor sign-in off.
        await page.GotoAsync("/settings");
        await page.ClickAsync("#security-link");
        await page.WaitForURLAsync(url => url.EndsWith("/security", StringComparison.Ordinal));
        await page.Locator("#two-factor-off").WaitForAsync();
        await page.ClickAsync("#two-factor-start");

        // The QR code is inline SVG drawn on the server; the secret is shown as text too.
        var qr = page.Locator("#two-factor-qr svg");
        await qr.WaitForAsync();
        Assert.True((await qr.BoundingBoxAsync())!.Width > 100);
        var secret = (await page.InnerTextAsync("#two-factor-secret")).Trim();
        Assert.Equal(20, Base32Encoding.ToBytes(secret).Length);
        await BrowserWorld.ScreenshotAsync(page, "two-factor-enrolment");
        var violations = new List<string>(await ThemedBrowser.SeriousViolationsAsync(page, "/security (enrolment)"));

        // The code the authenticator app would show turns it on; the ten recovery codes are shown once.
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        await page.FillAsync("#confirm-code", totp.ComputeTotp(DateTime.UtcNow));
        await page.ClickAsync("#two-factor-confirm");
        await page.Locator("#recovery-codes").WaitForAsync();
        Assert.Equal(10, await page.Locator("#recovery-codes li").CountAsync());

        await page.ClickAsync("#security-signout");
        await page.WaitForURLAsync(url => url.EndsWith("/signin", StringComparison.Ordinal));

        // A code counts once: the next sign-in waits for the app's next code (the next 30-second step).
        var intoStep = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() % 30_000;
        await Task.Delay(TimeSpan.FromMilliseconds(30_000 - intoStep + 500));

        await page.FillAsync("#userName", "tf-browser");
        await page.FillAsync("#password", ServerScenario.Password("tf-browser"));
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => url.Contains("/signin/two-factor", StringComparison.Ordinal));
        violations.AddRange(await ThemedBrowser.SeriousViolationsAsync(page, "/signin/two-factor"));
        await page.FillAsync("#code", totp.ComputeTotp(DateTime.UtcNow));
        await page.ClickAsync("#two-factor-submit");
        await page.WaitForURLAsync(url => url.EndsWith("/board", StringComparison.Ordinal));
        await page.Locator("[data-live=on]").WaitForAsync();

        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.__violations"));
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }
}
