using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SlaGrains.Server.Tests;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>
/// The real server plus headless Chromium from Debian (<c>/usr/bin/chromium</c>). Where the browser is missing the
/// tests skip with a loud reason, except under <c>CI=true</c>, where that is a failure (.ci/run installs it).
/// </summary>
public class BrowserWorld : SlaGrainsServerFixture
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private IPlaywright? _playwright;

    /// <summary>Why the browser tests cannot run here, or null.</summary>
    public string? Unavailable { get; private set; }

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Messages the pages wrote to the console as errors (a page must write none).</summary>
    public ConcurrentQueue<string> ConsoleErrors { get; } = new();

    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        if (!File.Exists(ChromiumPath))
        {
            Unavailable = $"{ChromiumPath} is missing: install Debian's chromium (apt-get install chromium) to run the browser tests.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(Unavailable + " CI=true: the browser tests must run.");
            }

            return;
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    public override async Task DisposeAsync()
    {
        if (_playwright is not null)
        {
            await Browser.DisposeAsync();
            _playwright.Dispose();
        }

        await base.DisposeAsync();
    }

    /// <summary>
    /// A new browser page at 1280×800 (or <paramref name="width"/>), recording console errors; the browser's time zone
    /// is <paramref name="timeZone"/> (UTC unless a test says otherwise, so expected times do not depend on the machine).
    /// </summary>
    public async Task<IPage> PageAsync(int width = 1280, int height = 800, string timeZone = "UTC")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), TimezoneId = timeZone, ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                ConsoleErrors.Enqueue($"{page.Url}: {message.Text} {message.Location}");
            }
        };
        return page;
    }

    /// <summary>A new user of <paramref name="role"/> (a fresh name), signed in on a new 1280×800 page.</summary>
    public async Task<(IPage Page, string User)> SignedInAsync(HttpClient admin, string role)
    {
        var user = $"{role[0]}-{Guid.NewGuid():N}"[..12];
        await ServerScenario.UserAsync(admin, user, role);
        var page = await PageAsync();
        await SignInAsync(page, user, ServerScenario.Password(user));
        return (page, user);
    }

    /// <summary>
    /// A customer (Berlin, 99.9 %, 1,000 EUR) with an hour down on the 10th of last month and that month closed: about
    /// 99.86 % against 99.9 %, a 10 % credit of 100.00 EUR.
    /// </summary>
    public async Task<(string Customer, NodaTime.YearMonth Month)> CustomerWithClosedOutageAsync(HttpClient admin)
    {
        var customer = await ServerScenario.CustomerAsync(admin);
        var (_, month, _) = await ServerScenario.OutageLastMonthAsync(admin, customer, downMinutes: 60, day: 10);
        var closed = await Services.GetRequiredService<IGrainFactory>().GetGrain<SlaGrains.Contracts.Customers.ICustomerGrain>(customer).CloseMonth(month);
        Assert.True(closed.Accepted, closed.Rejection?.Message);
        return (customer, month);
    }

    /// <summary>Signs in through the sign-in page, as a person would, and waits for the landing page.</summary>
    public static async Task SignInAsync(IPage page, string userName, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/signin");
        await page.FillAsync("#userName", userName);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
    }

    /// <summary>
    /// Saves a screenshot of a received mail's HTML part as a mail program shows it (700 px wide, the width mail
    /// layouts are made for), after checking the browser drew it with content. The README shows these.
    /// </summary>
    public async Task MailScreenshotAsync(string? html, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(html);
        var page = await PageAsync(width: 700, height: 600);
        await page.SetContentAsync(html);
        Xunit.Assert.True(await page.Locator("body").InnerTextAsync() is { Length: > 20 }, $"The mail {name} rendered no text.");
        await ScreenshotAsync(page, name);
        await page.Context.CloseAsync();
    }

    /// <summary>Saves a screenshot under the test output (<see cref="ScreenshotFolder"/>).</summary>
    public static Task ScreenshotAsync(IPage page, string name)
        => page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"{name}.png"), FullPage = true });
}
