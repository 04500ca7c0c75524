using System.Collections.Immutable;
using System.Text.Json;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Network;
using SlaGrains.Contracts.Webhooks;

namespace SlaGrains.Application.Monitors;

/// <summary>
/// A new monitor of a customer's component: <c>consecutiveFailures</c> failed checks open an incident (default 2),
/// <c>regions</c> vote by majority, <c>heartbeatGraceSeconds</c> turns a missed heartbeat into a failure, the internal
/// SLO defaults to the customer's. <c>kind</c> is <c>push</c> (the default: results and heartbeats are sent to it) or a
/// probing kind — <c>http</c>, <c>tcp</c>, <c>dns</c>, <c>tls</c> or <c>ping</c> — with its settings in the sub-object
/// of that name; a probing monitor probes from every probe location, or from the <c>regions</c> listed. The
/// monitor becomes one of the customer's components. <c>staleAfterSeconds</c> (60 to 86,400) is how long without any
/// result before the monitor is <em>unknown</em> (neither up nor down); default twice the probe interval for a probing
/// monitor, 600 (10 minutes) for push; a heartbeat monitor uses its grace (a missed heartbeat is a failure), so it takes none.
/// <c>latency</c> (<c>{ "thresholdMs": 500, "objectivePercent": 99 }</c>) gives it a latency SLO: the share of checks
/// answered within the threshold, with its own error budget and burn-rate alerts.
/// </summary>
public sealed record NewMonitorRequest(
    string? Id,
    string? CustomerId,
    string? Name,
    bool Critical,
    int? ConsecutiveFailures,
    decimal? SloPercent,
    List<string>? Regions,
    int? HeartbeatGraceSeconds,
    string? Kind = null,
    HttpMonitorInput? Http = null,
    int? StaleAfterSeconds = null,
    TcpMonitorInput? Tcp = null,
    DnsMonitorInput? Dns = null,
    TlsMonitorInput? Tls = null,
    PingMonitorInput? Ping = null,
    LatencyInput? Latency = null);

/// <summary>
/// A monitor's latency SLO: a check is good when it is up and answered within <c>thresholdMs</c> (1–60,000); at least
/// <c>objectivePercent</c> (above 0, below 100; default 99) of checks should be. Failed checks count as not good.
/// </summary>
public sealed record LatencyInput(int? ThresholdMs, decimal? ObjectivePercent)
{
    /// <summary>The objective when none is given: 99 %.</summary>
    public const decimal DefaultObjectivePercent = 99m;

    /// <summary>The SLO, or null with the reasons added to <paramref name="errors"/> under <c>latency.*</c>.</summary>
    public LatencySlo? ToSlo(InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (ThresholdMs is not { } threshold)
        {
            errors.Add("latency.thresholdMs", $"A latency SLO needs a threshold: 1 to {Domain.Availability.LatencyObjective.MaxThresholdMs:N0} milliseconds.");
            return null;
        }

        var slo = new LatencySlo(threshold, ObjectivePercent ?? DefaultObjectivePercent);
        if (slo.Objective.Problem() is { } problem)
        {
            errors.Add($"latency.{problem.Field}", problem.Message);
            return null;
        }

        return slo;
    }
}

/// <summary>
/// How an http monitor probes: <c>url</c> (absolute http/https), every <c>intervalSeconds</c> (at least 10, default
/// 60) with <c>timeoutSeconds</c> (more than 0 and less than the interval; default 10, or half the interval when shorter),
/// <c>expectedStatusCodes</c> as codes or ranges (<c>[200, "300-399"]</c>; default <c>["200-299"]</c>), and an optional
/// <c>keyword</c> the body must contain (with <c>keywordAbsent: true</c>: must not contain). The request: <c>method</c>
/// (GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS; default GET), <c>headers</c> (<c>[{ "name", "value" }]</c>, at most
/// 20), <c>body</c> (at most 64 KiB; not with GET or HEAD) with <c>contentType</c> (default <c>application/json</c>),
/// <c>basicAuth</c> (<c>{ "username", "password" }</c>, kept in the monitor's settings and never shown back), and
/// <c>json</c> (<c>{ "pointer": "/status", "expected": "ok" }</c>: an RFC 6901 pointer into the JSON answer and the
/// value it must have).
/// </summary>
public sealed record HttpMonitorInput(
    string? Url,
    int? IntervalSeconds,
    double? TimeoutSeconds,
    List<JsonElement>? ExpectedStatusCodes,
    string? Keyword,
    string? Method = null,
    List<HttpHeaderInput?>? Headers = null,
    string? Body = null,
    string? ContentType = null,
    HttpBasicAuthInput? BasicAuth = null,
    bool? KeywordAbsent = null,
    JsonAssertionInput? Json = null)
{
    /// <summary>Longest probe interval: a day (a longer one would not be monitoring).</summary>
    public const int MaxIntervalSeconds = 86_400;

    /// <summary>Most expected status codes or ranges.</summary>
    public const int MaxStatusCodes = 100;

    /// <summary>Longest URL.</summary>
    public const int MaxUrlLength = 2_000;

    /// <summary>A body's content type when none is given: health checks that post mostly post JSON.</summary>
    public const string DefaultContentType = "application/json";

    /// <summary>
    /// Adds <c>http.url</c> to <paramref name="errors"/> when the URL is one outbound requests may not go to (a loopback,
    /// private, link-local... address, or credentials in it; host names resolved); call before <see cref="ToSettings"/>.
    /// </summary>
    public async Task CheckUrlAsync(OutboundCheck outbound, InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(outbound);
        ArgumentNullException.ThrowIfNull(errors);
        if (Url is { Length: <= MaxUrlLength } && Uri.TryCreate(Url, UriKind.Absolute, out var url) && WebhookRules.IsUrl(url)
            && await outbound.ProblemAsync(Url) is { } problem)
        {
            errors.Add("http.url", problem);
        }
    }

    /// <summary>The settings, or null with the reasons added to <paramref name="errors"/> under <c>http.*</c>.</summary>
    public HttpProbeSettings? ToSettings(InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var codes = ImmutableArray.CreateBuilder<StatusCodeRange>();
        if (ExpectedStatusCodes?.Count > MaxStatusCodes)
        {
            errors.Add("http.expectedStatusCodes", $"At most {MaxStatusCodes} status codes or ranges.");
        }
        else
        {
            for (var i = 0; i < (ExpectedStatusCodes?.Count ?? 0); i++)
            {
                var code = ExpectedStatusCodes![i];
                var text = code.ValueKind switch
                {
                    JsonValueKind.Number => code.GetRawText(),
                    JsonValueKind.String => code.GetString(),
                    _ => null,
                };
                if (StatusCodeRange.TryParse(text, out var range))
                {
                    codes.Add(range);
                }
                else
                {
                    errors.Add($"http.expectedStatusCodes[{i}]", "A status code (404) or an inclusive range (\"200-299\") within 100–599.");
                }
            }
        }

        if (IntervalSeconds > MaxIntervalSeconds)
        {
            errors.Add("http.intervalSeconds", $"Probes run at least once a day ({MaxIntervalSeconds:N0} seconds).");
        }

        if (Url is { Length: > MaxUrlLength })
        {
            errors.Add("http.url", $"A URL has at most {MaxUrlLength:N0} characters.");
        }

        var interval = Duration.FromSeconds(Math.Min(IntervalSeconds ?? 60, MaxIntervalSeconds));
        var timeout = TimeoutSeconds is { } seconds && double.IsFinite(seconds) && Math.Abs(seconds) <= MaxIntervalSeconds
            ? Duration.FromMilliseconds(Math.Round(seconds * 1000))
            : TimeoutSeconds is null ? Duration.Min(Duration.FromSeconds(10), interval / 2) : Duration.Zero;
        var url = Uri.TryCreate(Url, UriKind.Absolute, out var parsed) ? parsed : null;
        var headers = ImmutableArray.CreateBuilder<HttpHeader>();
        if (Headers?.Count > HttpHeader.MaxCount)
        {
            errors.Add("http.headers", $"At most {HttpHeader.MaxCount} headers.");
        }
        else
        {
            for (var i = 0; i < (Headers?.Count ?? 0); i++)
            {
                // A header without a name goes on as an empty name, so the settings' checks name it at its own index.
                var header = Headers![i];
                headers.Add(new HttpHeader(header?.Name ?? string.Empty, header?.Value ?? string.Empty));
                if (header is { Name: not null, Value: null })
                {
                    errors.Add($"http.headers[{i}]", "A header is { \"name\", \"value\" } (the value may be empty).");
                }
            }
        }

        if (BasicAuth is { Username: null } or { Password: null })
        {
            errors.Add("http.basicAuth", "Basic authentication is { \"username\", \"password\" }.");
        }

        JsonAssertion? json = null;
        if (Json is not null)
        {
            if (Json.Pointer is null)
            {
                errors.Add("http.json.pointer", "A JSON assertion names the value with a pointer, e.g. \"/status\" (\"\" is the whole document).");
            }

            if (Json.ExpectedText() is null)
            {
                errors.Add("http.json.expected", "The expected value is a string, number, true, false or null.");
            }

            json = new JsonAssertion(Json.Pointer ?? string.Empty, Json.ExpectedText() ?? string.Empty);
        }

        var settings = new HttpProbeSettings(
            url!, interval, timeout, codes.Count == 0 ? default : codes.ToImmutable(), Keyword,
            Method?.Trim().ToUpperInvariant() is { } method && method != "GET" ? method : null,
            headers.Count == 0 ? default : headers.ToImmutable(),
            Body,
            Body is null ? ContentType : ContentType ?? DefaultContentType,
            BasicAuth is { Username: { } username, Password: { } password } ? new HttpBasicAuth(username, password) : null,
            KeywordAbsent ?? false,
            json);

        foreach (var (field, message) in settings.Problems())
        {
            errors.Add($"http.{field}", message);
        }

        return errors.Any ? null : settings;
    }
}

/// <summary>A request header of an http monitor.</summary>
public sealed record HttpHeaderInput(string? Name, string? Value);

/// <summary>Basic authentication for an http monitor; the password is write-only (the API shows it as <c>set</c>).</summary>
public sealed record HttpBasicAuthInput(string? Username, string? Password);

/// <summary>A JSON assertion: <c>pointer</c> (RFC 6901) and the <c>expected</c> value (a string, number, true, false or null).</summary>
public sealed record JsonAssertionInput(string? Pointer, JsonElement Expected)
{
    /// <summary>The expected value as the assertion compares it: a string's text, other scalars' JSON text; null for none (missing), an object or an array.</summary>
    public string? ExpectedText() => Expected.ValueKind switch
    {
        JsonValueKind.String => Expected.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null => Expected.GetRawText(),
        _ => null,
    };
}

/// <summary>
/// One check result: up or down, when (default: now), from which region, and optionally how long the service took to
/// answer (<c>responseTimeMs</c>, 0–600,000): what a latency SLO judges (an up result without it is not a latency check).
/// </summary>
public sealed record CheckInput(bool Up, Instant? At, string? Region, double? ResponseTimeMs = null)
{
    /// <summary>Longest response time a result may carry: 10 minutes.</summary>
    public const double MaxResponseTimeMs = 600_000;
}
