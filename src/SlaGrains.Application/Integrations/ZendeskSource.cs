using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using static SlaGrains.Application.Integrations.SourceReading;

namespace SlaGrains.Application.Integrations;

/// <summary>
/// Zendesk webhooks (docs/integrations.md, "Zendesk"): either a webhook subscribed to ticket events
/// (<c>zen:event-type:ticket.*</c>, https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events/) or a
/// webhook a trigger calls with the JSON body we document (its <c>event</c> says what happened). Signed as Zendesk signs
/// every webhook (https://developer.zendesk.com/documentation/webhooks/verifying/):
/// <c>X-Zendesk-Webhook-Signature</c> = base64(HMAC-SHA256(secret, timestamp + body)), the timestamp in
/// <c>X-Zendesk-Webhook-Signature-Timestamp</c>.
/// </summary>
public sealed class ZendeskSource : ITicketSource
{
    private const string EventTypePrefix = "zen:event-type:";
    private const string TicketSubjectPrefix = "zen:ticket:";

    /// <inheritdoc />
    public string Name => "zendesk";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> DefaultStatuses { get; } = Map(
        ("new", "new"), ("open", "open"), ("pending", "waitingOnCustomer"), ("hold", "onHold"), ("on-hold", "onHold"),
        ("solved", "resolved"), ("closed", "closed"));

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> DefaultPriorities { get; } = Map(
        ("urgent", "p1"), ("high", "p2"), ("normal", "p3"), ("low", "p4"));

    /// <inheritdoc />
    public string? VerifySignature(IntegrationRequest request, string? secret, Instant now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(secret))
        {
            return "No signing secret is configured for zendesk: copy the webhook's signing secret into the source's settings.";
        }

        var signature = Header(request, "X-Zendesk-Webhook-Signature");
        var timestamp = Header(request, "X-Zendesk-Webhook-Signature-Timestamp");
        if (string.IsNullOrWhiteSpace(signature) || string.IsNullOrWhiteSpace(timestamp))
        {
            return "The request has no X-Zendesk-Webhook-Signature and X-Zendesk-Webhook-Signature-Timestamp headers.";
        }

        var errors = new InputErrors();
        var signedAt = ParseInstant(timestamp, "X-Zendesk-Webhook-Signature-Timestamp", errors);
        if (signedAt is null)
        {
            return "X-Zendesk-Webhook-Signature-Timestamp is not an ISO 8601 time.";
        }

        var given = FromBase64(signature);
        if (given is null)
        {
            return "X-Zendesk-Webhook-Signature is not base64.";
        }

        var timestampBytes = Encoding.UTF8.GetBytes(timestamp);
        var message = new byte[timestampBytes.Length + request.Body.Length];
        timestampBytes.CopyTo(message, 0);
        request.Body.Span.CopyTo(message.AsSpan(timestampBytes.Length));
        var expected = HmacSha256(Encoding.UTF8.GetBytes(secret), message);
        if (!SameBytes(expected, given))
        {
            return "X-Zendesk-Webhook-Signature does not match the body signed with the configured secret.";
        }

        // Judged after the signature so that a forged timestamp is reported as a forgery, not as stale.
        return Stale(signedAt.Value, now);
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

        var type = Prop(root, "type");
        if (type.ValueKind == JsonValueKind.String && type.GetString()!.StartsWith(EventTypePrefix, StringComparison.Ordinal))
        {
            return ReadEvent(root, type.GetString()!);
        }

        if (Prop(root, "ticket").ValueKind == JsonValueKind.Object)
        {
            return ReadTrigger(root);
        }

        return Failure.Invalid("$.type", "A zendesk payload is either a ticket event webhook (type zen:event-type:ticket.*) or a trigger's body with a ticket object.");
    }

    private static Result<ImmutableArray<ExternalTicketEvent>> ReadEvent(JsonElement root, string type)
    {
        var errors = new InputErrors();
        var events = ImmutableArray.CreateBuilder<ExternalTicketEvent>();
        if (!type.StartsWith(EventTypePrefix + "ticket.", StringComparison.Ordinal))
        {
            // User, organisation and article events are none of our business: accepted, nothing to apply.
            return events.ToImmutable();
        }

        var detail = Prop(root, "detail");
        var ev = Prop(root, "event");
        var eventId = RequiredText(Prop(root, "id"), "$.id", errors, MaxIdLength);
        var at = Time(Prop(root, "time"), "$.time", errors);
        var ticketId = Text(Prop(detail, "id"), "$.detail.id", errors, MaxIdLength) ?? TicketFromSubject(root, errors);
        var organisation = Text(Prop(detail, "organization_id"), "$.detail.organization_id", errors);
        if (errors.Any || eventId is null || at is null || ticketId is null)
        {
            return Failure.Invalid(errors);
        }

        ExternalTicketEvent Event(string eventType) => new(eventId, ticketId, eventType, at.Value, Organisation: organisation);

        switch (type[(EventTypePrefix.Length + "ticket.".Length)..])
        {
            case "created":
                var status = Changed(ev, "status", "$.event.current", errors) ?? Text(Prop(detail, "status"), "$.detail.status", errors);
                var priority = Text(Prop(detail, "priority"), "$.detail.priority", errors);
                var subject = Text(Prop(detail, "subject"), "$.detail.subject", errors, Bounds.SubjectLength);
                var created = Time(Prop(detail, "created_at"), "$.detail.created_at", errors, required: false) ?? at.Value;
                events.Add(Event(TicketEventTypes.Created) with { At = created, Status = status, Priority = priority, Subject = subject });
                break;
            case "status_changed":
                var current = Changed(ev, "status", "$.event.current", errors);
                if (current is null && !errors.Any)
                {
                    errors.Add("$.event.current", "$.event.current (the new status) is required.");
                }

                events.Add(Event(TicketEventTypes.Status) with { Status = current });
                break;
            case "priority_changed":
                // A priority cleared to none leaves nothing to apply.
                if (Changed(ev, "priority", "$.event.current", errors) is { } newPriority)
                {
                    events.Add(Event(TicketEventTypes.Priority) with { Priority = newPriority });
                }

                break;
            case "agent_assignment_changed":
                events.Add(Event(TicketEventTypes.Assigned) with
                {
                    Assignee = Changed(ev, "assignee_id", "$.event.current", errors),
                    Team = Text(Prop(detail, "group_id"), "$.detail.group_id", errors),
                });
                break;
            case "group_assignment_changed":
                events.Add(Event(TicketEventTypes.Assigned) with
                {
                    Team = Changed(ev, "group_id", "$.event.current", errors),
                    Assignee = Text(Prop(detail, "assignee_id"), "$.detail.assignee_id", errors),
                });
                break;
            case "comment_added":
                var comment = Prop(ev, "comment");
                if (comment.ValueKind != JsonValueKind.Object)
                {
                    errors.Add("$.event.comment", "$.event.comment is required for ticket.comment_added.");
                    break;
                }

                var isPublic = Flag(Prop(comment, "is_public"), "$.event.comment.is_public", errors);
                var isStaff = Flag(Prop(Prop(comment, "author"), "is_staff"), "$.event.comment.author.is_staff", errors);
                if (isPublic is null && !errors.Any)
                {
                    errors.Add("$.event.comment.is_public", "$.event.comment.is_public is required.");
                }

                if (isStaff is null && !errors.Any)
                {
                    errors.Add("$.event.comment.author.is_staff", "$.event.comment.author.is_staff is required.");
                }

                // An internal note is neither a reply to nor from the customer: it moves no clock.
                if (isPublic == true && isStaff is { } staff)
                {
                    events.Add(Event(staff ? TicketEventTypes.AgentReply : TicketEventTypes.CustomerReply));
                }

                break;
            case "soft_deleted" or "permanently_deleted" or "marked_as_spam":
                events.Add(Event(TicketEventTypes.Closed));
                break;
        }

        return Done(errors, events);
    }

    /// <summary>The new value of a changed field: <c>event.current</c> as a value, or as an object holding <paramref name="field"/>.</summary>
    private static string? Changed(JsonElement ev, string field, string path, InputErrors errors)
    {
        var current = Prop(ev, "current");
        return current.ValueKind == JsonValueKind.Object
            ? Text(Prop(current, field), $"{path}.{field}", errors)
            : Text(current, path, errors);
    }

    private static string? TicketFromSubject(JsonElement root, InputErrors errors)
    {
        var subject = Text(Prop(root, "subject"), "$.subject", errors, MaxIdLength);
        if (subject is not null && subject.StartsWith(TicketSubjectPrefix, StringComparison.Ordinal) && subject.Length > TicketSubjectPrefix.Length)
        {
            return subject[TicketSubjectPrefix.Length..];
        }

        errors.Add("$.detail.id", "$.detail.id (the ticket's id) is required.");
        return null;
    }

    private static Result<ImmutableArray<ExternalTicketEvent>> ReadTrigger(JsonElement root)
    {
        var errors = new InputErrors();
        var events = ImmutableArray.CreateBuilder<ExternalTicketEvent>();
        var ticket = Prop(root, "ticket");
        var kind = RequiredText(Prop(root, "event"), "$.event", errors);
        var ticketId = RequiredText(Prop(ticket, "id"), "$.ticket.id", errors, MaxIdLength);
        var status = Text(Prop(ticket, "status"), "$.ticket.status", errors);
        var priority = Text(Prop(ticket, "priority"), "$.ticket.priority", errors);
        var subject = Text(Prop(ticket, "subject"), "$.ticket.subject", errors, Bounds.SubjectLength);
        var organisation = Text(Prop(ticket, "organization"), "$.ticket.organization", errors);
        var team = Text(Prop(ticket, "group"), "$.ticket.group", errors);
        var assignee = Text(Prop(ticket, "assignee"), "$.ticket.assignee", errors);
        var atField = kind == "created" ? "created_at" : "updated_at";
        var at = Time(Prop(ticket, atField), $"$.ticket.{atField}", errors);
        if (errors.Any || kind is null || ticketId is null || at is null)
        {
            return Failure.Invalid(errors);
        }

        void Add(string type, string? status = null, string? priority = null, string? subject = null, string? team = null, string? assignee = null)
            => events.Add(new ExternalTicketEvent(
                HashId(ticketId, type, at.Value, status, priority, subject, organisation, team, assignee),
                ticketId, type, at.Value, organisation, status, priority, subject, team, assignee));

        switch (kind)
        {
            case "created":
                Add(TicketEventTypes.Created, status, priority, subject);
                if (team is not null || assignee is not null)
                {
                    Add(TicketEventTypes.Assigned, team: team, assignee: assignee);
                }

                break;
            case "updated":
                // A trigger sees the ticket as it is now, not what changed: each value is applied, and one that did not
                // change changes nothing.
                if (status is not null)
                {
                    Add(TicketEventTypes.Status, status);
                }

                if (priority is not null)
                {
                    Add(TicketEventTypes.Priority, priority: priority);
                }

                if (team is not null || assignee is not null)
                {
                    Add(TicketEventTypes.Assigned, team: team, assignee: assignee);
                }

                break;
            case "agentReply" or "customerReply":
                Add(kind);
                break;
            default:
                errors.Add("$.event", "$.event must be created, updated, agentReply or customerReply.");
                break;
        }

        return Done(errors, events);
    }
}
