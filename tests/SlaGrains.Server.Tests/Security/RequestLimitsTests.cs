using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace SlaGrains.Server.Tests.Security;

/// <summary>
/// How much a caller may send and hold, on a server with small limits: request bodies (64 KB anonymous, the API's
/// configured limit signed in) and Blazor circuits (none anonymous, a cap per user).
/// </summary>
public sealed class RequestLimitsTests(RequestLimitsTests.SmallLimits server) : IClassFixture<RequestLimitsTests.SmallLimits>
{
    private const int ApiLimit = 100_000;

    [Fact]
    public async Task Anonymous_body_over_64_KB_is_413_problem()
    {
        using var client = server.Anonymous();

        using var response = await client.PostAsync(new Uri("api/v1/tools/credit", UriKind.Relative), Json(Padded(65 * 1024)));

        await AssertTooLargeAsync(response);
    }

    [Fact]
    public async Task Anonymous_chunked_body_over_64_KB_is_413_problem()
    {
        using var client = server.Anonymous();
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Padded(65 * 1024))));
        content.Headers.ContentType = new("application/json");

        // No Content-Length: the limit is found while reading.
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/tools/credit") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request);

        await AssertTooLargeAsync(response);
    }

    [Fact]
    public async Task Api_body_over_the_limit_is_413_problem()
    {
        using var admin = await server.AdminAsync();

        using var response = await admin.Http.PostAsync(new Uri("api/v1/customers", UriKind.Relative), Json(Padded(ApiLimit + 1)));

        await AssertTooLargeAsync(response);
        using var customers = await admin.Http.GetAsync(new Uri("api/v1/customers", UriKind.Relative));
        Assert.DoesNotContain("padding", await customers.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signed_in_body_over_64_KB_within_the_api_limit_is_read()
    {
        using var admin = await server.AdminAsync();

        using var response = await admin.Http.PostAsync(new Uri("api/v1/customers", UriKind.Relative), Json(Padded(80 * 1024)));

        // Read and judged on its content (an unknown field, a missing id), not refused for its size.
        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}");
    }

    [Fact]
    public async Task Anonymous_client_cannot_open_a_Blazor_circuit()
    {
        using var client = server.Anonymous();

        using var negotiate = await client.PostAsync(new Uri("_blazor/negotiate?negotiateVersion=1", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Unauthorized, negotiate.StatusCode);
        Assert.Equal("application/problem+json", negotiate.Content.Headers.ContentType?.MediaType);

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(new CookieContainer(), "anything"));
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);

        // What an anonymous caller can reach renders static: no server component, so nothing to connect a circuit to.
        var signIn = await client.GetStringAsync(new Uri("signin", UriKind.Relative));
        Assert.DoesNotContain("\"type\":\"server\"", signIn, StringComparison.Ordinal);
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        using var board = await noRedirect.GetAsync(new Uri("board", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, board.StatusCode);
        Assert.StartsWith("/signin", board.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Circuits_per_user_are_capped()
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server.BaseAddress };
        using (var signIn = await http.PostAsJsonAsync("api/v1/auth/sign-in", new { userName = "admin", password = SlaGrainsServerFixture.AdminPassword }))
        {
            signIn.EnsureSuccessStatusCode();
        }

        // A signed-in page is interactive: its HTML carries a server component to connect a circuit to.
        Assert.Contains("\"type\":\"server\"", await http.GetStringAsync(new Uri("inbox", UriKind.Relative)), StringComparison.Ordinal);

        using var first = await ConnectAsync(cookies, await NegotiateAsync(http));
        using var second = await ConnectAsync(cookies, await NegotiateAsync(http));

        using (var third = await http.PostAsync(new Uri("_blazor/negotiate?negotiateVersion=1", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
            Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
        }

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(cookies, "token-from-an-earlier-negotiate"));
        Assert.Contains("429", refused.Message, StringComparison.Ordinal);

        // Closing one gives its slot back.
        await first.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        var status = HttpStatusCode.TooManyRequests;
        for (var attempt = 0; attempt < 100 && status == HttpStatusCode.TooManyRequests; attempt++)
        {
            await Task.Delay(50);
            using var again = await http.PostAsync(new Uri("_blazor/negotiate?negotiateVersion=1", UriKind.Relative), null);
            status = again.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static string Padded(int bytes)
        => $$"""{"availabilityPercent": 99.5, "targetPercent": 99.9, "monthlyFee": 1000.0, "padding": "{{new string('x', bytes)}}"}""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task AssertTooLargeAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(413, JsonSerializer.Deserialize<JsonElement>(text, SlaGrainsServerFixture.Json).GetProperty("status").GetInt32());
    }

    private static async Task<string> NegotiateAsync(HttpClient http)
    {
        using var response = await http.PostAsync(new Uri("_blazor/negotiate?negotiateVersion=1", UriKind.Relative), null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<JsonElement>(text).GetProperty("connectionToken").GetString()!;
    }

    private async Task<ClientWebSocket> ConnectAsync(CookieContainer cookies, string token)
    {
        var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        try
        {
            var uri = new UriBuilder(new Uri(server.BaseAddress, "_blazor")) { Scheme = "ws", Query = $"id={Uri.EscapeDataString(token)}" }.Uri;
            await socket.ConnectAsync(uri, CancellationToken.None);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public sealed class SmallLimits : SlaGrainsServerFixture
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings =>
        [
            new("Api:MaxRequestBodyBytes", ApiLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Ui:MaxCircuitsPerUser", "2"),
        ];
    }
}
