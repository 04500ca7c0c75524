using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Network;
using SlaGrains.Grains.Outbound;
using SlaGrains.Grains.Probes;
using SlaGrains.Testing;

namespace SlaGrains.Grains.Tests.Probes;

/// <summary>
/// The http prober's request options against a real Kestrel server on 127.0.0.1 (two ports: two origins), through the
/// same outbound handler the silo uses, with loopback allowed as <c>Network:AllowedPrivateTargets</c> allows it: what
/// the target receives (method, headers, body, basic auth), what redirects carry, and how the keyword-absent and JSON
/// checks judge the answer.
/// </summary>
public sealed class HttpProberRequestTests : IAsyncLifetime
{
    private const string Region = "default";
    private readonly ConcurrentQueue<Seen> _seen = new();
    private WebApplication _app = null!;
    private int _port;
    private int _otherPort;
    private HttpProber _prober = null!;

    public async Task InitializeAsync()
    {
        (_port, _otherPort) = (FreePort.Next(), FreePort.Next());
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, _port);
            o.Listen(IPAddress.Loopback, _otherPort);
        });
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var request = context.Request;
            _seen.Enqueue(new Seen(context.Connection.LocalPort, request.Method, request.Path + request.QueryString,
                request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
            if (request.Query["to"] is { Count: 1 } to)
            {
                context.Response.StatusCode = int.Parse(request.Query["status"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
                context.Response.Headers.Location = to.ToString();
                return;
            }

            context.Response.ContentType = request.Query["type"].ToString() is { Length: > 0 } type ? type : "text/plain";
            await context.Response.WriteAsync(request.Query["answer"].ToString());
        });
        await _app.StartAsync();
        var targets = OutboundTargets.Parse(LoopbackTargets.Settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        _prober = HttpProber.Create(new OutboundHttp(targets, new SystemHostResolver()));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Post_sends_the_monitors_headers_body_content_type_and_basic_auth()
    {
        var settings = Settings("/echo") with
        {
            Method = "POST",
            Headers = [new("X-Trace", "probe 1"), new("Accept", "application/json")],
            Body = """{"ping":"über"}""",
            ContentType = "application/json; charset=utf-8",
            BasicAuth = new HttpBasicAuth("monitor", "s3cret:with colon"),
        };

        var report = await ProbeAsync(settings);

        Assert.True(report.Up, report.Detail);
        var seen = Assert.Single(_seen);
        Assert.Equal(("POST", """{"ping":"über"}""", "application/json; charset=utf-8"), (seen.Method, seen.Body, seen.Headers["Content-Type"]));
        Assert.Equal(("probe 1", "application/json"), (seen.Headers["X-Trace"], seen.Headers["Accept"]));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("monitor:s3cret:with colon")), seen.Headers["Authorization"]);
        Assert.Equal(Region, seen.Headers[HttpProber.RegionHeader]);
    }

    [Theory]
    [InlineData(null, "GET")]
    [InlineData("HEAD", "HEAD")]
    [InlineData("PUT", "PUT")]
    [InlineData("PATCH", "PATCH")]
    [InlineData("DELETE", "DELETE")]
    [InlineData("OPTIONS", "OPTIONS")]
    public async Task Probe_uses_the_monitors_method(string? method, string expected)
    {
        var report = await ProbeAsync(Settings("/method") with { Method = method });

        Assert.True(report.Up, report.Detail);
        Assert.Equal(expected, Assert.Single(_seen).Method);
    }

    [Fact]
    public async Task Keyword_absent_is_up_without_the_keyword_and_down_when_it_is_found()
    {
        var settings = Settings("/page") with { Keyword = "error", KeywordAbsent = true };

        var clean = await ProbeAsync(settings with { Url = Url("/page?answer=all+good") });
        var failing = await ProbeAsync(settings with { Url = Url("/page?answer=fatal+error+in+db") });

        Assert.True(clean.Up, clean.Detail);
        Assert.Equal((false, 200, "HTTP 200, keyword 'error' found"), (failing.Up, failing.StatusCode, failing.Detail));
    }

    [Theory]
    [InlineData("/status", "ok", true, "HTTP 200")]
    [InlineData("/status", "down", false, "HTTP 200, JSON /status is \"ok\", expected 'down'")]
    [InlineData("/checks/0/up", "true", true, "HTTP 200")]
    [InlineData("/checks/1/latency", "12.5", true, "HTTP 200")]
    [InlineData("/checks/1/latency", "12.50", true, "HTTP 200")]
    [InlineData("/checks/1/note", "null", true, "HTTP 200")]
    [InlineData("/a~1b/m~0n", "3", true, "HTTP 200")]
    [InlineData("/checks/2", "x", false, "HTTP 200, JSON /checks/2 not found")]
    [InlineData("/checks/01", "x", false, "HTTP 200, JSON /checks/01 not found")]
    [InlineData("/missing", "ok", false, "HTTP 200, JSON /missing not found")]
    [InlineData("/checks", "[]", false, "HTTP 200, JSON /checks is an array, expected '[]'")]
    public async Task Json_assertion_compares_the_value_at_the_pointer(string pointer, string expected, bool up, string detail)
    {
        const string Document = """{"status":"ok","checks":[{"name":"db","up":true},{"latency":12.5,"note":null}],"a/b":{"m~n":3}}""";
        var settings = Settings($"/health?type=application/json&answer={Uri.EscapeDataString(Document)}") with { Json = new JsonAssertion(pointer, expected) };

        var report = await ProbeAsync(settings);

        Assert.Equal((up, detail), (report.Up, report.Detail));
    }

    [Fact]
    public async Task Json_assertion_on_a_body_that_is_not_json_is_down()
    {
        var report = await ProbeAsync(Settings("/health?answer=%3Chtml%3E") with { Json = new JsonAssertion("/status", "ok") });

        Assert.Equal((false, "HTTP 200, the body is not JSON"), (report.Up, report.Detail));
    }

    [Fact]
    public async Task A_303_turns_the_post_into_a_get_without_the_body_and_a_307_repeats_it()
    {
        var post = Settings("/") with { Method = "POST", Body = "form=1", ContentType = "application/x-www-form-urlencoded", BasicAuth = new("monitor", "pw") };

        var seeOther = await ProbeAsync(post with { Url = Url($"/post?status=303&to={Uri.EscapeDataString("/landing-303")}") });
        var temporary = await ProbeAsync(post with { Url = Url($"/post?status=307&to={Uri.EscapeDataString("/landing-307")}") });

        Assert.True(seeOther.Up && temporary.Up, seeOther.Detail + " / " + temporary.Detail);
        var after303 = Assert.Single(_seen, s => s.Path == "/landing-303");
        var after307 = Assert.Single(_seen, s => s.Path == "/landing-307");
        Assert.Equal(("GET", string.Empty, false), (after303.Method, after303.Body, after303.Headers.ContainsKey("Content-Type")));
        Assert.StartsWith("Basic ", after303.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Equal(("POST", "form=1"), (after307.Method, after307.Body));
        Assert.StartsWith("Basic ", after307.Headers["Authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_to_another_origin_gets_no_credentials_headers_or_body()
    {
        var elsewhere = $"http://127.0.0.1:{_otherPort}/elsewhere";
        var get = Settings($"/get?status=302&to={Uri.EscapeDataString(elsewhere)}") with
        {
            Headers = [new("X-Api-Key", "k-123")],
            BasicAuth = new("monitor", "pw"),
        };
        var put = get with { Method = "PUT", Body = "{}", ContentType = "application/json", Url = Url($"/put?status=307&to={Uri.EscapeDataString(elsewhere + "-put")}") };

        var followed = await ProbeAsync(get);
        var refused = await ProbeAsync(put);

        Assert.True(followed.Up, followed.Detail);
        var hop = Assert.Single(_seen, s => s.Port == _otherPort);
        Assert.Equal("/elsewhere", hop.Path);
        Assert.False(hop.Headers.ContainsKey("Authorization"));
        Assert.False(hop.Headers.ContainsKey("X-Api-Key"));
        Assert.Equal(Region, hop.Headers[HttpProber.RegionHeader]);
        Assert.Equal((false, 307), (refused.Up, refused.StatusCode));
        Assert.Contains("redirect to another origin not followed", refused.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(_seen, s => s.Path == "/elsewhere-put");
    }

    [Fact]
    public void Settings_text_form_leaves_the_password_out()
    {
        var settings = Settings("/") with { BasicAuth = new("monitor", "hunter2-secret") };

        Assert.DoesNotContain("hunter2-secret", settings.ToString(), StringComparison.Ordinal);
        Assert.Contains("monitor", settings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_with_equal_request_options_are_equal_and_any_option_tells_them_apart()
    {
        var settings = Settings("/") with { Method = "POST", Headers = [new("X-A", "1")], Body = "b", ContentType = "text/plain", BasicAuth = new("u", "p"), Json = new("/s", "ok") };
        var copy = settings with { Headers = [new("X-A", "1")], BasicAuth = new("u", "p"), Json = new("/s", "ok") };

        Assert.Equal(settings, copy);
        Assert.Equal(settings.GetHashCode(), copy.GetHashCode());
        Assert.Equal(Settings("/"), Settings("/") with { Method = "GET" });
        Assert.All(
            new[]
            {
                settings with { Method = "PUT" }, settings with { Headers = [new("X-A", "2")] }, settings with { Body = "c" },
                settings with { ContentType = "text/csv" }, settings with { BasicAuth = new("u", "q") }, settings with { Keyword = "k", KeywordAbsent = true },
                settings with { Json = new("/s", "down") },
            },
            other => Assert.NotEqual(settings, other));
    }

    [Fact]
    public void Settings_problems_name_each_request_field()
    {
        var settings = Settings("/") with
        {
            Method = "TRACE",
            Headers = [new("X-Ok", "1"), new("Host", "example"), new("X-Bad", "a\r\nInjected: 1"), new("Bad Name", "v")],
            KeywordAbsent = true,
            ContentType = "text/plain",
            BasicAuth = new("user:name", "pw"),
            Json = new("status", "ok"),
        };
        var getWithBody = Settings("/") with { Body = "x", ContentType = "not a type" };
        var headWithKeyword = Settings("/") with { Method = "HEAD", Keyword = "ok" };
        var bigBody = Settings("/") with { Method = "POST", Body = new string('x', HttpProbeSettings.MaxBodyBytes + 1), ContentType = "text/plain" };

        Assert.Equal(
            ["basicAuth.username", "contentType", "headers[1]", "headers[2]", "headers[3]", "json.pointer", "keywordAbsent", "method"],
            settings.Problems().Select(p => p.Field).Order(StringComparer.Ordinal));
        Assert.Equal(["body", "contentType"], getWithBody.Problems().Select(p => p.Field).Order(StringComparer.Ordinal));
        Assert.Equal(["keyword"], headWithKeyword.Problems().Select(p => p.Field));
        Assert.Equal(["body"], bigBody.Problems().Select(p => p.Field));
        Assert.Empty((Settings("/") with { Json = new("", "ok") }).Problems());
        Assert.NotEmpty((Settings("/") with { Json = new("/a~2", "ok") }).Problems());
    }

    private Uri Url(string pathAndQuery) => new($"http://127.0.0.1:{_port}{pathAndQuery}");

    private HttpProbeSettings Settings(string pathAndQuery) => new(Url(pathAndQuery), Duration.FromSeconds(60), Duration.FromSeconds(10));

    private Task<ProbeReport> ProbeAsync(HttpProbeSettings settings)
    {
        Assert.Empty(settings.Problems());
        return _prober.ProbeAsync(settings, Region, TimeProvider.System);
    }

    private sealed record Seen(int Port, string Method, string Path, Dictionary<string, string> Headers, string Body);
}
