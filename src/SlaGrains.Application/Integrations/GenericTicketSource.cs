using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using NodaTime.Text;

namespace SlaGrains.Application.Integrations;

/// <summary>
/// The generic JSON shape (DESIGN §6a): <c>{ "events": [ { "eventId", "ticketId", "customerId", "type", "at", ... } ] }</c>
/// in our own words. With a secret configured, the body must carry <c>X-SlaGrains-Signature: sha256=&lt;hex&gt;</c>, the
/// HMAC-SHA256 of the body's bytes under the secret.
/// </summary>
public sealed class GenericTicketSource : ITicketSource
{
    /// <summary>The header that carries the body's HMAC.</summary>
    public const string SignatureHeader = "X-SlaGrains-Signature";

    private static readonly string[] Statuses = ["new", "open", "inProgress", "waitingOnCustomer", "onHold", "resolved", "closed"];
    private static readonly string[] Priorities = ["p1", "p2", "p3", "p4"];

    /// <inheritdoc />
    public string Name => "generic";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> DefaultStatuses { get; } = Statuses.ToDictionary(s => s, s => s, StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> DefaultPriorities { get; } = Priorities.ToDictionary(p => p, p => p, StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public string? VerifySignature(IntegrationRequest request, string? secret, Instant now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (secret is null)
        {
            return null;
        }

        if (!request.Headers.TryGetValue(SignatureHeader, out var header) || !header.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase))
        {
            return $"The request needs the header {SignatureHeader}: sha256=<hex HMAC-SHA256 of the body under the source's secret>.";
        }

        if (SourceReading.FromHex(header["sha256=".Length..]) is not { } given)
        {
            return $"{SignatureHeader} is not sha256=<hex>.";
        }

        var expected = SourceReading.HmacSha256(Encoding.UTF8.GetBytes(secret), request.Body.Span);
        return SourceReading.SameBytes(expected, given) ? null : $"{SignatureHeader} does not match the body.";
    }

    /// <inheritdoc />
    public Result<ImmutableArray<ExternalTicketEvent>> Read(IntegrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(request.Body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            return Failure.Invalid("body", "The body is not JSON: send { \"events\": [ ... ] }.");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("events", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return Failure.Invalid("events", "The body is { \"events\": [ ... ] }.");
            }

            var errors = new InputErrors();
            var events = ImmutableArray.CreateBuilder<ExternalTicketEvent>();
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                var at = $"events[{i}]";
                i++;
                if (item.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(at, "An event is an object.");
                    continue;
                }

                var eventId = Text(item, "eventId");
                var ticketId = Text(item, "ticketId");
                var type = Text(item, "type");
                var when = Text(item, "at");
                if (string.IsNullOrWhiteSpace(eventId))
                {
                    errors.Add($"{at}.eventId", "An event needs an eventId.");
                }

                if (string.IsNullOrWhiteSpace(ticketId))
                {
                    errors.Add($"{at}.ticketId", "An event needs a ticketId.");
                }

                if (string.IsNullOrWhiteSpace(type))
                {
                    errors.Add($"{at}.type", $"An event needs a type: {string.Join(", ", TicketEventTypes.All)}.");
                }

                Instant instant = default;
                if (when is null)
                {
                    errors.Add($"{at}.at", "An event needs 'at': when it happened, e.g. 2026-03-02T09:15:00Z.");
                }
                else if (OffsetDateTimePattern.ExtendedIso.Parse(when.Trim()) is { Success: true } parsed && parsed.Value.Year is > 1 and < 9999)
                {
                    instant = parsed.Value.ToInstant();
                }
                else
                {
                    errors.Add($"{at}.at", "'at' is an ISO 8601 instant with its offset, e.g. 2026-03-02T09:15:00Z.");
                }

                if (errors.Any)
                {
                    continue;
                }

                events.Add(new ExternalTicketEvent(
                    eventId!, ticketId!, type!, instant, Text(item, "customerId"), Text(item, "status"), Text(item, "priority"),
                    Text(item, "subject"), Text(item, "team"), Text(item, "assignee")));
            }

            return errors.Any ? Failure.Invalid(errors) : events.ToImmutable();
        }
    }

    /// <summary>A string property (numbers are taken as their text, as many systems send ids); null when absent.</summary>
    private static string? Text(JsonElement item, string name) => item.TryGetProperty(name, out var value)
        ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        }
        : null;
}
