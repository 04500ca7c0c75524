using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using SlaGrains.Server.Tests;

namespace SlaGrains.EndToEnd.Tests;

/// <summary>The customer editor's "Add monitor" row in a real browser, for the kinds that probe a host.</summary>
public sealed class ProbeKindFormsTests(BrowserWorld world) : IClassFixture<BrowserWorld>
{
    [SkippableFact]
    public async Task A_tcp_monitor_added_through_the_form_is_refused_with_a_bad_port_then_saved_and_listed_with_its_kind_and_target()
    {
        Skip.If(world.Unavailable is not null, world.Unavailable);
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var id = $"relay-{customer}";
        var page = await OpenCustomerAsync(customer);

        await page.FillAsync("#new-monitor", id);
        await page.FillAsync("#new-monitor-name", "Mail relay");
        await AdminFormsTests.PickAsync(page, ".new-monitor-kind", "tcp");
        await page.FillAsync("#new-monitor-tcp-host", "127.0.0.1");
        await page.FillAsync("#new-monitor-tcp-port", "70000");
        await page.FillAsync("#new-monitor-probe-interval", "30");
        await page.FillAsync("#new-monitor-probe-timeout", "5");
        await page.ClickAsync("#add-monitor");
        await page.Locator(".mw-message", new() { HasTextString = "1–65535" }).WaitForAsync();
        var refused = await admin.Http.GetAsync($"api/v1/monitors/{id}");

        await page.FillAsync("#new-monitor-tcp-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.ClickAsync("#add-monitor");
        var row = page.Locator($".monitor-row[data-monitor='{id}']");
        await row.WaitForAsync();

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal($"tcp 127.0.0.1:{port}", (await row.Locator(".monitor-kind").InnerTextAsync()).Trim());
        var monitor = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{id}"))).JsonAsync();
        var tcp = monitor.GetProperty("tcp");
        Assert.Equal(("tcp", "127.0.0.1", port, 30.0, 5.0), (monitor.GetProperty("kind").GetString(), tcp.GetProperty("host").GetString(),
            tcp.GetProperty("port").GetInt32(), tcp.GetProperty("intervalSeconds").GetDouble(), tcp.GetProperty("timeoutSeconds").GetDouble()));
        Assert.True(world.ConsoleErrors.IsEmpty, string.Join("\n", world.ConsoleErrors));
    }

    /// <summary>Signs in as the admin and opens <paramref name="customer"/>'s editor.</summary>
    private async Task<IPage> OpenCustomerAsync(string customer)
    {
        var page = await world.PageAsync();
        await BrowserWorld.SignInAsync(page, "admin", SlaGrainsServerFixture.AdminPassword);
        await page.GotoAsync("/admin");
        await page.Locator("[data-live=on]").WaitForAsync();
        await page.Locator("tr", new() { HasTextString = customer }).Locator(".preview-due").ClickAsync();
        await page.Locator("#save-calendar").WaitForAsync();
        return page;
    }
}
