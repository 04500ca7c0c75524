using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using static SlaGrains.Application.Integrations.SourceReading;

namespace SlaGrains.Application.Integrations;

/// <summary>
/// HaloPSA webhooks (docs/integrations.md, "HaloPSA"): Halo POSTs JSON holding the <c>ticket</c> and, where the event
/// has one, the <c>action</c> (https://usehalo.com/guide/webhook-integration/), with the field names of Halo's API
/// ticket and action objects; a batched delivery is an array of those. Halo's webhooks authenticate with HTTP Basic
/// authentication (or none): the source's secret is <c>username:password</c>, and <c>Authorization: Basic …</c> must match it.
/// </summary>
public sealed class HaloPsaSource : ITicketSource
{
    /// <summary>Most deliveries one batched request holds.</summary>
    public const int MaxBatch = 500;

    /// <inheritdoc />
    public string Name => "halopsa";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> DefaultStatuses { get; } = Map(
        ("New", "new"), ("Updated", "open"), ("Action Required", "open"), ("In Progress", "inProgress"),
        ("With User", "waitingOnCustomer"), ("Waiting on User", "waitingOnCustomer"), ("With Supplier", "onHold"),
        ("On Hold", "onHold"), ("Scheduled", "onHold"), ("Resolved", "resolved"), ("Completed", "resolved"),
        ("Closed", "closed"), ("Cancelled", "closed"));

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> DefaultPriorities { get; } = Map(
        ("Critical", "p1"), ("P1", "p1"), ("1", "p1"), ("High", "p2"), ("P2", "p2"), ("2", "p2"),
        ("Medium", "p3"), ("P3", "p3"), ("3", "p3"), ("Low", "p4"), ("P4", "p4"), ("4", "p4"));

    /// <inheritdoc />
    public string? VerifySignature(IntegrationRequest request, string? secret, Instant now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(secret) || !secret.Contains(':', StringComparison.Ordinal))
        {
            return "No credentials are configured for halopsa: set the source's secret to the webhook's Basic username:password.";
        }

        var header = Header(request, "Authorization")?.Trim();
        if (string.IsNullOrEmpty(header))
        {
            return "The request has no Authorization header: set the Halo webhook's authentication to Basic.";
        }

        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return "The Authorization header must be Basic authentication.";
        }

        var given = FromBase64(header["Basic ".Length..]);
        if (given is null)
        {
            return "The Authorization header's credentials are not base64.";
        }

        // Compared as hashes so that the time taken says nothing about how long the configured password is.
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        return SameBytes(expected, SHA256.HashData(given)) ? null : "The Basic credentials do not match the configured username and password.";
    }

    /// <inheritdoc />
    public Result<ImmutableArray<ExternalTicketEvent>> Read(IntegrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parsed = ParseJson(request.Body, Name);
        if (!parsed.Succeeded)
        {
            return parsed.Failure;
        }

        using var document = parsed.Value;
        var root = document.RootElement;
        var errors = new InputErrors();
        var events = ImmutableArray.CreateBuilder<ExternalTicketEvent>();
        switch (root.ValueKind)
        {
            case JsonValueKind.Object:
                ReadDelivery(root, "$", events, errors);
                break;
            case JsonValueKind.Array when root.GetArrayLength() > MaxBatch:
                return Failure.Invalid("$", $"A halopsa batch holds at most {MaxBatch} deliveries.");
            case JsonValueKind.Array:
                var index = 0;
                foreach (var delivery in root.EnumerateArray())
                {
                    ReadDelivery(delivery, $"$[{index.ToString(CultureInfo.InvariantCulture)}]", events, errors);
                    index++;
                }

                break;
            default:
                return Failure.Invalid("$", "The halopsa payload must be a JSON object (or an array of them when batched).");
        }

        return Done(errors, events);
    }

    private static void ReadDelivery(JsonElement delivery, string path, ImmutableArray<ExternalTicketEvent>.Builder events, InputErrors errors)
    {
        var ticket = Prop(delivery, "ticket");
        if (ticket.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}.ticket", $"{path}.ticket (the ticket object) is required.");
            return;
        }

        var at = $"{path}.ticket";
        var ticketId = RequiredText(Prop(ticket, "id"), $"{at}.id", errors, MaxIdLength);
        var status = Named(ticket, "status", at, errors);
        var priority = Named(ticket, "priority", at, errors);
        var subject = Text(Prop(ticket, "summary"), $"{at}.summary", errors, Bounds.SubjectLength);
        var organisation = Text(Prop(ticket, "client_id"), $"{at}.client_id", errors);
        var team = Text(Prop(ticket, "team"), $"{at}.team", errors);
        // Halo's agent 0 is "unassigned".
        var agent = Text(Prop(ticket, "agent_id"), $"{at}.agent_id", errors) is { } agentId and not "0" ? agentId : null;
        var action = Prop(delivery, "action");
        var actionId = Text(Prop(action, "id"), $"{path}.action.id", errors, MaxIdLength);
        if (ticketId is null)
        {
            return;
        }

        // Halo logs a new ticket as its first action; a delivery without an action, or with that one, is the creation.
        if (IsMissing(action) || actionId == "1")
        {
            var occurred = HaloTime(Prop(ticket, "dateoccurred"), $"{at}.dateoccurred", errors);
            if (occurred is null)
            {
                return;
            }

            events.Add(new ExternalTicketEvent($"created:{ticketId}", ticketId, TicketEventTypes.Created, occurred.Value, organisation, status, priority, subject));
            if (team is not null || agent is not null)
            {
                events.Add(new ExternalTicketEvent($"created:{ticketId}:assigned", ticketId, TicketEventTypes.Assigned, occurred.Value, organisation, Team: team, Assignee: agent));
            }

            return;
        }

        var when = HaloTime(Prop(action, "datetime"), $"{path}.action.datetime", errors);
        var hidden = Flag(Prop(action, "hiddenfromuser"), $"{path}.action.hiddenfromuser", errors);
        var note = Text(Prop(action, "note"), $"{path}.action.note", errors, Bounds.TextLength);
        var byAgent = Text(Prop(action, "who_agentid"), $"{path}.action.who_agentid", errors);
        if (actionId is null)
        {
            errors.Add($"{path}.action.id", $"{path}.action.id is required.");
        }

        if (when is null || actionId is null)
        {
            return;
        }

        ExternalTicketEvent Event(string type) => new($"action:{ticketId}:{actionId}:{type}", ticketId, type, when.Value, organisation);

        // An action shows the ticket as it stands after it: each value is applied, and one that did not change changes nothing.
        if (status is not null)
        {
            events.Add(Event(TicketEventTypes.Status) with { Status = status });
        }

        if (priority is not null)
        {
            events.Add(Event(TicketEventTypes.Priority) with { Priority = priority });
        }

        if (team is not null || agent is not null)
        {
            events.Add(Event(TicketEventTypes.Assigned) with { Team = team, Assignee = agent });
        }

        // A note the user can see is a reply: from an agent when an agent wrote it, else from the user.
        if (hidden == false && note is not null)
        {
            var fromAgent = byAgent is not null && byAgent != "0";
            events.Add(Event(fromAgent ? TicketEventTypes.AgentReply : TicketEventTypes.CustomerReply));
        }
    }

    /// <summary>A status or priority: its name (<c>status_name</c>, or <c>status.name</c>) where the payload has one, else its id as text.</summary>
    private static string? Named(JsonElement ticket, string field, string path, InputErrors errors)
        => Text(Prop(ticket, $"{field}_name"), $"{path}.{field}_name", errors)
            ?? Text(Prop(Prop(ticket, field), "name"), $"{path}.{field}.name", errors)
            ?? Text(Prop(ticket, $"{field}_id"), $"{path}.{field}_id", errors);

    /// <summary>Halo writes its API times in UTC, often without the <c>Z</c>: a time without an offset is read as UTC.</summary>
    private static Instant? HaloTime(JsonElement element, string path, InputErrors errors)
    {
        if (element.ValueKind == JsonValueKind.String
            && NodaTime.Text.LocalDateTimePattern.ExtendedIso.Parse(element.GetString()!.Trim()) is { Success: true } local)
        {
            var at = local.Value.InUtc().ToInstant();
            return Bounds.CheckInstant(errors, path, at) ? at : null;
        }

        return Time(element, path, errors);
    }
}
