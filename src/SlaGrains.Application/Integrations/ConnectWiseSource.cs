using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using static SlaGrains.Application.Integrations.SourceReading;

namespace SlaGrains.Application.Integrations;

/// <summary>
/// ConnectWise PSA (Manage) ticket callbacks (docs/integrations.md, "ConnectWise PSA"): <c>Action</c> added, updated or
/// deleted, <c>ID</c>, and <c>Entity</c> — the ticket as ConnectWise's REST API returns it, as a JSON string (or
/// object). A callback is a snapshot, not a diff, so an update applies the ticket's status, priority and assignment as
/// they are at <c>_info.lastUpdated</c>.
/// </summary>
/// <remarks>
/// ConnectWise signs callbacks with <c>x-content-signature</c> = base64(HMAC-SHA256(SHA-256(signing key), body)), the
/// signing key being served at the URL in the payload's <c>Metadata.key_url</c>. We fetch nothing from outside, so the
/// source's secret is that signing key, fetched once by the admin (docs/integrations.md says how); a rotated key makes
/// every callback a 401 until the secret is updated.
/// </remarks>
public sealed class ConnectWiseSource : ITicketSource
{
    /// <summary>Largest <c>Entity</c> string read (a ticket is a few KiB).</summary>
    private const int MaxEntityLength = 256 * 1024;

    /// <inheritdoc />
    public string Name => "connectwise";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> DefaultStatuses { get; } = Map(
        ("New", "new"), ("New (email)", "new"), ("New (portal)", "new"), ("Assigned", "open"), ("Re-opened", "open"),
        ("Customer Updated", "open"), ("In Progress", "inProgress"), ("Scheduled", "inProgress"),
        ("Waiting Customer Response", "waitingOnCustomer"), ("Waiting on Customer", "waitingOnCustomer"),
        ("Waiting on Vendor", "onHold"), ("On Hold", "onHold"), ("Completed", "resolved"), ("Resolved", "resolved"),
        ("Closed", "closed"), (">Closed", "closed"), ("Cancelled", "closed"));

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> DefaultPriorities { get; } = Map(
        ("Priority 1 - Emergency Response", "p1"), ("Priority 1 - Critical", "p1"), ("Critical", "p1"),
        ("Priority 2 - Quick Response", "p2"), ("Priority 2 - High", "p2"), ("High", "p2"),
        ("Priority 3 - Normal Response", "p3"), ("Priority 3 - Medium", "p3"), ("Medium", "p3"),
        ("Priority 4 - Schedule Maintenance", "p4"), ("Priority 4 - Low", "p4"), ("Low", "p4"),
        ("Do Not Respond", "p4"));

    /// <inheritdoc />
    public string? VerifySignature(IntegrationRequest request, string? secret, Instant now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(secret))
        {
            return "No signing key is configured for connectwise: set the key served at the callback's Metadata.key_url as the source's secret.";
        }

        var signature = Header(request, "x-content-signature");
        if (string.IsNullOrWhiteSpace(signature))
        {
            return "The request has no x-content-signature header.";
        }

        var given = FromBase64(signature);
        if (given is null)
        {
            return "x-content-signature is not base64.";
        }

        var key = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        var expected = HmacSha256(key, request.Body.Span);
        return SameBytes(expected, given) ? null : "x-content-signature does not match the body signed with the configured signing key.";
    }

    /// <inheritdoc />
    public Result<ImmutableArray<ExternalTicketEvent>> Read(IntegrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parsed = ParseJsonObject(request.Body, Name);
        if (!parsed.Succeeded)
        {
            return parsed.Failure;
        }

        using var document = parsed.Value;
        var root = document.RootElement;

        var errors = new InputErrors();
        var events = ImmutableArray.CreateBuilder<ExternalTicketEvent>();
        var action = RequiredText(Prop(root, "Action"), "$.Action", errors)?.ToLowerInvariant();
        var type = Text(Prop(root, "Type"), "$.Type", errors);
        if (type is not null && !string.Equals(type, "ticket", StringComparison.OrdinalIgnoreCase))
        {
            // Companies, contacts, agreements: accepted, nothing to apply.
            return errors.Any ? Failure.Invalid(errors) : events.ToImmutable();
        }

        var messageId = Text(Prop(root, "MessageId"), "$.MessageId", errors, MaxIdLength);
        var id = Text(Prop(root, "ID"), "$.ID", errors, MaxIdLength);
        if (errors.Any || action is null)
        {
            return Failure.Invalid(errors);
        }

        if (action is not ("added" or "updated" or "deleted"))
        {
            return Failure.Invalid("$.Action", "$.Action must be added, updated or deleted.");
        }

        using var entityDocument = Entity(root, errors);
        if (entityDocument is null)
        {
            // A deletion may come without the ticket; with no time of its own there is nothing to date an event by.
            return action == "deleted" && !errors.Any ? events.ToImmutable() : Failure.Invalid(errors);
        }

        var ticket = entityDocument.RootElement;
        var ticketId = id ?? RequiredText(Prop(ticket, "id"), "$.Entity.id", errors, MaxIdLength);
        var info = Prop(ticket, "_info");
        var updated = Time(Prop(info, "lastUpdated"), "$.Entity._info.lastUpdated", errors);
        var status = Text(Prop(Prop(ticket, "status"), "name"), "$.Entity.status.name", errors);
        var priority = Text(Prop(Prop(ticket, "priority"), "name"), "$.Entity.priority.name", errors);
        var organisation = Text(Prop(Prop(ticket, "company"), "identifier"), "$.Entity.company.identifier", errors);
        var subject = Text(Prop(ticket, "summary"), "$.Entity.summary", errors, Bounds.SubjectLength);
        var team = Text(Prop(Prop(ticket, "team"), "name"), "$.Entity.team.name", errors);
        var owner = Text(Prop(Prop(ticket, "owner"), "identifier"), "$.Entity.owner.identifier", errors);
        if (errors.Any || ticketId is null || updated is null)
        {
            return Failure.Invalid(errors);
        }

        void Add(string eventType, Instant at, string? status = null, string? priority = null, string? subject = null, string? team = null, string? assignee = null)
            => events.Add(new ExternalTicketEvent(
                messageId is null ? HashId(ticketId, eventType, at, status, priority, subject, organisation, team, assignee) : $"{messageId}:{eventType}",
                ticketId, eventType, at, organisation, status, priority, subject, team, assignee));

        switch (action)
        {
            case "added":
                var entered = Time(Prop(ticket, "dateEntered"), "$.Entity.dateEntered", errors, required: false)
                    ?? Time(Prop(info, "dateEntered"), "$.Entity._info.dateEntered", errors, required: false)
                    ?? updated.Value;
                if (priority is null)
                {
                    errors.Add("$.Entity.priority.name", "$.Entity.priority.name is required for a new ticket.");
                }

                Add(TicketEventTypes.Created, entered, status, priority, subject);
                if (team is not null || owner is not null)
                {
                    Add(TicketEventTypes.Assigned, entered, team: team, assignee: owner);
                }

                break;
            case "updated":
                if (status is not null)
                {
                    Add(TicketEventTypes.Status, updated.Value, status);
                }

                if (priority is not null)
                {
                    Add(TicketEventTypes.Priority, updated.Value, priority: priority);
                }

                if (team is not null || owner is not null)
                {
                    Add(TicketEventTypes.Assigned, updated.Value, team: team, assignee: owner);
                }

                break;
            case "deleted":
                Add(TicketEventTypes.Closed, updated.Value);
                break;
        }

        return Done(errors, events);
    }

    /// <summary>The ticket in <c>Entity</c>: a JSON string holding the ticket (as ConnectWise sends it) or the object itself.</summary>
    private static JsonDocument? Entity(JsonElement root, InputErrors errors)
    {
        var entity = Prop(root, "Entity");
        switch (entity.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                errors.Add("$.Entity", "$.Entity (the ticket) is required.");
                return null;
            case JsonValueKind.Object:
                return JsonDocument.Parse(entity.GetRawText(), new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
            case JsonValueKind.String:
                var text = entity.GetString()!;
                if (string.IsNullOrWhiteSpace(text))
                {
                    errors.Add("$.Entity", "$.Entity (the ticket) is required.");
                    return null;
                }

                if (text.Length > MaxEntityLength)
                {
                    errors.Add("$.Entity", $"$.Entity has {text.Length} characters; at most {MaxEntityLength} are read.");
                    return null;
                }

                try
                {
                    var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
                    if (document.RootElement.ValueKind == JsonValueKind.Object)
                    {
                        return document;
                    }

                    document.Dispose();
                }
                catch (JsonException error)
                {
                    errors.Add("$.Entity", $"$.Entity is not valid JSON (byte {error.BytePositionInLine + 1}).");
                    return null;
                }

                errors.Add("$.Entity", "$.Entity must hold the ticket as a JSON object.");
                return null;
            default:
                errors.Add("$.Entity", "$.Entity must hold the ticket as a JSON object.");
                return null;
        }
    }
}
