using System.Globalization;
using System.Net.Http.Json;
using SlaGrains.Contracts.Escalations;

namespace SlaGrains.Grains.Escalations;

/// <summary>
/// Posts an escalation to a webhook as JSON (<c>application/json</c>): the escalation id, the kind (warning or
/// breach), the ticket, customer, metric, threshold, cycle, priority, and the due and recorded instants in ISO 8601.
/// One attempt with a 10-second timeout; the outcome is recorded on the escalation.
/// </summary>
public sealed class WebhookSender(HttpClient http)
{
    /// <summary>Sends the escalation; returns a short outcome for the log ("delivered (200)", "failed: …").</summary>
    public async Task<string> SendAsync(Uri target, EscalationView escalation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(escalation);
        var alert = escalation.Alert;
        var payload = new
        {
            escalationId = escalation.EscalationId,
            kind = alert.IsBreach ? "breach" : "warning",
            ticketId = alert.TicketId,
            customerId = alert.CustomerId,
            metric = alert.Metric.ToString(),
            percent = alert.Percent,
            cycle = alert.Cycle,
            priority = alert.Priority.ToString(),
            dueAt = alert.DueAt.ToString("uuuu-MM-dd'T'HH:mm:ss.FFFFFFFFF'Z'", CultureInfo.InvariantCulture),
            recordedAt = alert.RecordedAt.ToString("uuuu-MM-dd'T'HH:mm:ss.FFFFFFFFF'Z'", CultureInfo.InvariantCulture),
        };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var response = await http.PostAsJsonAsync(target, payload, timeout.Token);
            return response.IsSuccessStatusCode
                ? $"delivered ({(int)response.StatusCode})"
                : $"failed: HTTP {(int)response.StatusCode}";
        }
        catch (Exception error) when (error is HttpRequestException or OperationCanceledException)
        {
            return $"failed: {error.Message}";
        }
    }
}
