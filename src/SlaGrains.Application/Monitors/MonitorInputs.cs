using System.Collections.Immutable;
using System.Text.Json;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Network;
using SlaGrains.Contracts.Webhooks;

namespace SlaGrains.Application.Monitors;

/// <summary>
/// A new monitor of a customer's component: <c>consecutiveFailures</c> failed checks open an incident (default 2),
/// <c>regions</c> vote by majority, <c>heartbeatGraceSeconds</c> turns a missed heartbeat into a failure, the internal
/// SLO defaults to the customer's. <c>kind</c> is <c>push</c> (the default: results and heartbeats are sent to it) or
/// <c>http</c> (it probes <c>http.url</c> itself from every probe location, or from the <c>regions</c> listed). The
/// monitor becomes one of the customer's components. <c>staleAfterSeconds</c> (60 to 86,400) is how long without any
/// result before the monitor is <em>unknown</em> (neither up nor down); default twice the probe interval for http, 600
/// (10 minutes) for push; a heartbeat monitor uses its grace (a missed heartbeat is a failure), so it takes none.
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
    int? StaleAfterSeconds = null);

/// <summary>
/// How an http monitor probes: <c>url</c> (absolute http/https), every <c>intervalSeconds</c> (at least 10, default
/// 60) with <c>timeoutSeconds</c> (more than 0 and less than the interval; default 10, or half the interval when shorter),
/// <c>expectedStatusCodes</c> as codes or ranges (<c>[200, "300-399"]</c>; default <c>["200-299"]</c>), and an optional
/// <c>keyword</c> the body must contain.
/// </summary>
public sealed record HttpMonitorInput(string? Url, int? IntervalSeconds, double? TimeoutSeconds, List<JsonElement>? ExpectedStatusCodes, string? Keyword)
{
    /// <summary>Longest probe interval: a day (a longer one would not be monitoring).</summary>
    public const int MaxIntervalSeconds = 86_400;

    /// <summary>Most expected status codes or ranges.</summary>
    public const int MaxStatusCodes = 100;

    /// <summary>Longest URL.</summary>
    public const int MaxUrlLength = 2_000;

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
        var settings = new HttpProbeSettings(url!, interval, timeout, codes.Count == 0 ? default : codes.ToImmutable(), Keyword);
        foreach (var (field, message) in settings.Problems())
        {
            errors.Add($"http.{field}", message);
        }

        return errors.Any ? null : settings;
    }
}

/// <summary>
/// One check result: up or down, when (default: now), from which region, and optionally how long the service took to
/// answer in milliseconds (0–<see cref="MaxResponseTimeMs"/>), which goes into the response-time history.
/// </summary>
public sealed record CheckInput(bool Up, Instant? At, string? Region, double? ResponseTimeMs = null)
{
    /// <summary>The longest response time a result may report: one hour.</summary>
    public const double MaxResponseTimeMs = 3_600_000;
}
