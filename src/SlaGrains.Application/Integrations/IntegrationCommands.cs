using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Integrations;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Application.Integrations;

/// <summary>What a source's configuration looks like to people: the secret only as set or not.</summary>
/// <param name="Source">The source's name.</param>
/// <param name="SecretSet">True when a secret is configured (it is never shown).</param>
/// <param name="Statuses">The source's status names to ours.</param>
/// <param name="Priorities">The source's priority names to ours.</param>
/// <param name="Organisations">The source's organisations to our customers.</param>
/// <param name="EscalatePast">Warnings and breaches that fell due before a sync are escalated too.</param>
/// <param name="DefaultStatuses">The source's built-in status mapping, used where <paramref name="Statuses"/> says nothing.</param>
/// <param name="DefaultPriorities">The source's built-in priority mapping, used where <paramref name="Priorities"/> says nothing.</param>
public sealed record IntegrationView(
    string Source,
    bool SecretSet,
    IReadOnlyDictionary<string, string> Statuses,
    IReadOnlyDictionary<string, string> Priorities,
    IReadOnlyDictionary<string, string> Organisations,
    bool EscalatePast,
    IReadOnlyDictionary<string, string> DefaultStatuses,
    IReadOnlyDictionary<string, string> DefaultPriorities);

/// <summary>A source's configuration as written (<c>PUT /api/v1/integrations/{source}</c>).</summary>
/// <param name="Secret">The shared secret; absent keeps the one set, empty removes it.</param>
/// <param name="Statuses">The source's status names to ours (new, open, inProgress, waitingOnCustomer, onHold, resolved, closed).</param>
/// <param name="Priorities">The source's priority names to ours (p1–p4).</param>
/// <param name="Organisations">The source's organisation ids to our customer ids.</param>
/// <param name="EscalatePast">Escalate warnings and breaches that fell due before a sync request (default false: only recorded).</param>
public sealed record IntegrationInput(
    string? Secret,
    Dictionary<string, string>? Statuses,
    Dictionary<string, string>? Priorities,
    Dictionary<string, string>? Organisations,
    bool? EscalatePast);

/// <summary>One event's result in a sync response.</summary>
/// <param name="EventId">The event's id as sent.</param>
/// <param name="TicketId">The ticket id it was stored under.</param>
/// <param name="Outcome">applied, replayed, pending, rejected or conflict.</param>
/// <param name="Status">The HTTP status this event alone would have had (200, 202 pending, 409 conflict, 422 rejected).</param>
/// <param name="Reason">Why, when not applied or replayed.</param>
public sealed record SyncEventOutcome(string EventId, string TicketId, string Outcome, int Status, string? Reason);

/// <summary>The response to a sync request.</summary>
/// <param name="Source">The source.</param>
/// <param name="Events">Each event's outcome, in the request's order.</param>
/// <param name="Applied">How many were applied.</param>
/// <param name="Replayed">How many were received before.</param>
/// <param name="Conflicts">How many conflicted (event id reused for other content, or a ticket id taken).</param>
public sealed record SyncResponse(string Source, ImmutableArray<SyncEventOutcome> Events, int Applied, int Replayed, int Conflicts);

/// <summary>
/// Ticket events from other systems (DESIGN §6a): the source reads its payload, the source's mapping turns it into our
/// words, every event of the request is checked before any is applied (all or nothing), then each ticket's events go
/// to its grain (<see cref="ITicketGrain.Sync"/>), which applies them at their own instants.
/// </summary>
[ApplicationService]
public sealed class IntegrationCommands(IGrainFactory grains, IEnumerable<ITicketSource> sources, ISlaNow clock)
{
    /// <summary>At most this many events per request.</summary>
    public const int MaxEvents = 1_000;

    /// <summary>At most this many entries per mapping.</summary>
    public const int MaxMappings = 1_000;

    /// <summary>Sources whose organisation is taken as our customer id when no mapping names it.</summary>
    private static readonly ImmutableHashSet<string> OwnCustomerIds = ["generic", "csv"];

    private readonly ImmutableDictionary<string, ITicketSource> _sources = sources.ToImmutableDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>The sources there are, by name.</summary>
    public IEnumerable<string> SourceNames => _sources.Keys.Order(StringComparer.Ordinal);

    /// <summary>The ticket id a source's external id is stored under: the generic source's as-is, others' as <c>{source}-{id}</c>.</summary>
    public static string TicketIdFor(string source, string externalId) => source == "generic" ? externalId : $"{source}-{externalId}";

    /// <summary>A source's configuration (admins and managers).</summary>
    public async Task<Result<IntegrationView>> Get(Caller caller, string source)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.ManagesContracts)
        {
            return Failure.Forbidden("Only admins and managers see integration settings.");
        }

        if (!_sources.TryGetValue(source, out var found))
        {
            return UnknownSource(source);
        }

        return View(found, await grains.GetGrain<IIntegrationGrain>(source).Get());
    }

    /// <summary>Replaces a source's configuration (admins and managers); every value is checked against our words.</summary>
    public async Task<Result<IntegrationView>> Set(Caller caller, string source, IntegrationInput input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        if (!caller.ManagesContracts)
        {
            return Failure.Forbidden("Only admins and managers change integration settings.");
        }

        if (!_sources.TryGetValue(source, out var found))
        {
            return UnknownSource(source);
        }

        var errors = new InputErrors();
        if (input.Secret is { Length: > 200 })
        {
            errors.Add("secret", "A secret has at most 200 characters.");
        }

        var statuses = Mapping(errors, "statuses", input.Statuses, v => ParseStatus(v) is not null, "a status: new, open, inProgress, waitingOnCustomer, onHold, resolved or closed");
        var priorities = Mapping(errors, "priorities", input.Priorities, v => ParsePriority(v) is not null, "a priority: p1, p2, p3 or p4");
        var organisations = Mapping(errors, "organisations", input.Organisations, Bounds.IsId, "a customer id");
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var directory = grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key);
        foreach (var (external, customer) in organisations)
        {
            if (await directory.Find(customer) is null)
            {
                errors.Add($"organisations.{external}", $"Customer '{customer}' does not exist.");
            }
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var grain = grains.GetGrain<IIntegrationGrain>(source);
        var secret = input.Secret is null ? (await grain.Get())?.Secret : input.Secret.Length == 0 ? null : input.Secret;
        var settings = new IntegrationSettings(secret, statuses, priorities, organisations, input.EscalatePast ?? false);
        await grain.Set(settings);
        return View(found, settings);
    }

    /// <summary>
    /// Applies a request's events: integration keys, admins and managers. 404 for an unknown source, 401 for a bad
    /// signature, 400 naming the event and field for anything unmapped or out of bounds (nothing stored), else each
    /// event's outcome.
    /// </summary>
    public async Task<Result<SyncResponse>> Sync(Caller caller, string source, IntegrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.IsIntegration && !caller.ManagesContracts)
        {
            return Failure.Forbidden("Ticket events come from integration keys, admins and managers.");
        }

        return await SyncAsync(caller, source, request, signedOnly: false);
    }

    /// <summary>
    /// Applies a webhook's events that carry no key (Jira, ConnectWise and HaloPSA cannot add our header): the source's
    /// own signature, with the secret configured for it, is the only proof of origin, so a source without a secret
    /// (or without a signature scheme, as CSV) is refused with 401. Otherwise as <see cref="Sync"/>.
    /// </summary>
    public Task<Result<SyncResponse>> SyncSigned(string source, IntegrationRequest request)
        => SyncAsync(new Caller($"source:{Bounds.Echo(source, 64)}", UserRole.Customer, null, null, false) { KeyScope = ApiKeyScope.Integration }, source, request, signedOnly: true);

    private async Task<Result<SyncResponse>> SyncAsync(Caller caller, string source, IntegrationRequest request, bool signedOnly)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_sources.TryGetValue(source, out var found))
        {
            return UnknownSource(source);
        }

        var receivedAt = clock.Now;
        var settings = await grains.GetGrain<IIntegrationGrain>(source).Get();
        if (signedOnly && string.IsNullOrEmpty(settings?.Secret))
        {
            return Failure.Unauthenticated($"Source '{source}' has no secret configured: without an integration key, a request is accepted only when signed with the source's secret.");
        }

        if (found.VerifySignature(request, settings?.Secret, receivedAt) is { } reason)
        {
            return Failure.Unauthenticated(reason);
        }

        var read = found.Read(request);
        if (!read.Succeeded)
        {
            return read.Failure;
        }

        var events = read.Value;
        if (events.Length > MaxEvents)
        {
            return Failure.Invalid("events", $"A request carries at most {MaxEvents} events; this one has {events.Length}.");
        }

        var mapped = await Map(found, settings, events, receivedAt);
        if (!mapped.Succeeded)
        {
            return mapped.Failure;
        }

        if (caller.IsRestricted && await OutsideRestriction(caller, mapped.Value) is { } outside)
        {
            return outside;
        }

        using var actor = Actor.Is(caller);
        var outcomes = new SyncEventOutcome[events.Length];
        var batches = mapped.Value.GroupBy(m => m.TicketId, StringComparer.Ordinal).ToList();
        var results = await Task.WhenAll(batches.Select(async group =>
        {
            var batch = new TicketSyncBatch(source, [.. group.Select(m => m.Event)], receivedAt, settings?.EscalatePast ?? false);
            return (group, await grains.GetGrain<ITicketGrain>(group.Key).Sync(batch));
        }));
        foreach (var (group, result) in results)
        {
            var items = group.ToList();
            for (var i = 0; i < items.Count; i++)
            {
                var r = result[i];
                var status = r.Outcome switch
                {
                    SyncOutcomes.Conflict => 409,
                    SyncOutcomes.Rejected => 422,
                    SyncOutcomes.Pending => 202,
                    _ => 200,
                };
                outcomes[items[i].Index] = new SyncEventOutcome(events[items[i].Index].EventId, group.Key, r.Outcome, status, r.Reason);
            }
        }

        return new SyncResponse(
            source, [.. outcomes], outcomes.Count(o => o.Outcome == SyncOutcomes.Applied), outcomes.Count(o => o.Outcome == SyncOutcomes.Replayed),
            outcomes.Count(o => o.Outcome == SyncOutcomes.Conflict));
    }

    /// <summary>
    /// A key restricted to listed customers touches only their tickets: every ticket's customer (from its created event
    /// here, else the stored ticket) must be one of them, checked before anything is applied. A ticket of another customer
    /// looks as if it did not exist; a ticket whose customer is not known yet is refused (a restricted key sends its
    /// created event first).
    /// </summary>
    private async Task<Failure?> OutsideRestriction(Caller caller, List<(int Index, string TicketId, SyncedTicketEvent Event)> mapped)
    {
        foreach (var group in mapped.GroupBy(m => m.TicketId, StringComparer.Ordinal))
        {
            var owner = group.Select(m => m.Event.CustomerId).FirstOrDefault(c => c is not null)
                ?? (await grains.GetGrain<ITicketGrain>(group.Key).Get())?.CustomerId;
            if (owner is null)
            {
                return Failure.Invalid($"events[{group.First().Index}].ticketId", $"Ticket '{group.Key}' has no created event yet: a key restricted to customers sends it first.");
            }

            if (!caller.CanRead(owner))
            {
                return group.Any(m => m.Event.Type == TicketEventTypes.Created)
                    ? Failure.Forbidden($"This key is restricted to other customers than '{owner}'.")
                    : Failure.NotFound($"Ticket '{group.Key}'");
            }
        }

        return null;
    }

    /// <summary>Each event in our words, with the targets its priority gets, or every field that cannot be mapped.</summary>
    private async Task<Result<List<(int Index, string TicketId, SyncedTicketEvent Event)>>> Map(
        ITicketSource source, IntegrationSettings? settings, ImmutableArray<ExternalTicketEvent> events, Instant now)
    {
        var errors = new InputErrors();
        var directory = grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key);
        var customers = new Dictionary<string, bool>(StringComparer.Ordinal);
        var ticketCustomers = new Dictionary<string, string?>(StringComparer.Ordinal);
        var parsed = new List<(int Index, string TicketId, ExternalTicketEvent Raw, TicketStatus? Status, TicketPriority? Priority, string? Customer)>();

        // The created events first: the customer a ticket's later events take their targets from.
        for (var i = 0; i < events.Length; i++)
        {
            var e = events[i];
            var field = $"events[{i}]";
            var ticketId = TicketIdFor(source.Name, e.ExternalTicketId);
            if (!Bounds.IsId(ticketId))
            {
                errors.Add($"{field}.ticketId", Bounds.IdRule($"A ticket id (stored as '{Bounds.Echo(ticketId, 80)}')"));
            }

            if (e.EventId.Length is 0 or > 200 || !Bounds.IsPrintable(e.EventId))
            {
                errors.Add($"{field}.eventId", "An event id has 1–200 characters and no control characters.");
            }

            if (!TicketEventTypes.All.Contains(e.Type))
            {
                errors.Add($"{field}.type", $"'{Bounds.Echo(e.Type, 40)}' is not an event type: {string.Join(", ", TicketEventTypes.All)}.");
                continue;
            }

            if (e.At < Bounds.EarliestInstant || e.At > now)
            {
                errors.Add($"{field}.at", $"'at' is from {Bounds.EarliestInstant} up to now ({now}): an event cannot come from the future.");
            }

            TicketStatus? status = null;
            if (e.Type is TicketEventTypes.Status || (e.Type is TicketEventTypes.Created && e.Status is not null))
            {
                status = MapValue(settings?.Statuses, source.DefaultStatuses, e.Status) is { } ours ? ParseStatus(ours) : null;
                if (status is null)
                {
                    errors.Add($"{field}.status", $"Status '{Bounds.Echo(e.Status ?? "", 80)}' has no mapping for source '{source.Name}': add it to the source's 'statuses'.");
                }
            }

            TicketPriority? priority = null;
            if (e.Type is TicketEventTypes.Created or TicketEventTypes.Priority)
            {
                priority = MapValue(settings?.Priorities, source.DefaultPriorities, e.Priority) is { } ours ? ParsePriority(ours) : null;
                if (priority is null)
                {
                    errors.Add($"{field}.priority", $"Priority '{Bounds.Echo(e.Priority ?? "", 80)}' has no mapping for source '{source.Name}': add it to the source's 'priorities'.");
                }
            }

            string? customer = null;
            if (e.Type is TicketEventTypes.Created)
            {
                var subject = Bounds.Blank(e.Subject);
                if (subject is null || subject.Length > Bounds.SubjectLength || !Bounds.IsPrintable(subject))
                {
                    errors.Add($"{field}.subject", $"A created event needs a subject of at most {Bounds.SubjectLength} characters without control characters.");
                }

                customer = e.Organisation is null ? null
                    : settings?.Organisations.GetValueOrDefault(e.Organisation) ?? (OwnCustomerIds.Contains(source.Name) ? e.Organisation : null);
                if (customer is null)
                {
                    errors.Add($"{field}.customerId", $"Organisation '{Bounds.Echo(e.Organisation ?? "", 80)}' has no mapping to a customer for source '{source.Name}': add it to the source's 'organisations'.");
                }
                else if (!customers.TryGetValue(customer, out var exists))
                {
                    customers[customer] = exists = Bounds.IsId(customer) && await directory.Find(customer) is not null;
                    if (!exists)
                    {
                        errors.Add($"{field}.customerId", $"Customer '{Bounds.Echo(customer, 80)}' does not exist.");
                    }
                }
                else if (!exists)
                {
                    errors.Add($"{field}.customerId", $"Customer '{Bounds.Echo(customer, 80)}' does not exist.");
                }

                ticketCustomers[ticketId] = customer;
            }

            if (e.Type is TicketEventTypes.Assigned)
            {
                Bounds.CheckName(errors, $"{field}.team", e.Team);
                Bounds.CheckName(errors, $"{field}.assignee", e.Assignee);
            }

            parsed.Add((i, ticketId, e, status, priority, customer));
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        // A priority's targets come from the ticket's customer: from this request's created event, else the stored ticket.
        var mapped = new List<(int, string, SyncedTicketEvent)>(parsed.Count);
        var terms = new Dictionary<(string, TicketPriority), TicketTermsResult>();
        foreach (var (index, ticketId, raw, status, priority, customer) in parsed)
        {
            TicketTargets? targets = null;
            SlaClockOptions? options = null;
            if (priority is { } p)
            {
                if (!ticketCustomers.TryGetValue(ticketId, out var owner))
                {
                    owner = ticketCustomers[ticketId] = (await grains.GetGrain<ITicketGrain>(ticketId).Get())?.CustomerId;
                }

                if (owner is null)
                {
                    errors.Add($"events[{index}].priority", $"Ticket '{ticketId}' has no 'created' event yet: its priority's targets are not known. Send the created event first or in the same request.");
                    continue;
                }

                if (!terms.TryGetValue((owner, p), out var found))
                {
                    terms[(owner, p)] = found = await grains.GetGrain<ICustomerGrain>(owner).TermsFor(p);
                }

                if (!found.Accepted)
                {
                    errors.Add($"events[{index}].priority", found.Rejection!.Message);
                    continue;
                }

                (targets, options) = (found.Terms!.Targets, found.Terms.Options);
            }

            mapped.Add((index, ticketId, new SyncedTicketEvent(
                raw.EventId, Fingerprint(raw), raw.Type, raw.At, customer, Bounds.Blank(raw.Subject), status, priority, targets, options,
                Bounds.Blank(raw.Team), Bounds.Blank(raw.Assignee))));
        }

        return errors.Any ? Failure.Invalid(errors) : mapped;
    }

    /// <summary>The event's content as the source sent it: the same id with another fingerprint is a conflict, not a replay.</summary>
    private static string Fingerprint(ExternalTicketEvent e)
    {
        var text = string.Join('\u001f', e.ExternalTicketId, e.Type, e.At.ToUnixTimeTicks(), e.Organisation, e.Status, e.Priority, e.Subject, e.Team, e.Assignee);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }

    private static string? MapValue(ImmutableDictionary<string, string>? configured, IReadOnlyDictionary<string, string> defaults, string? external)
    {
        if (external is null)
        {
            return null;
        }

        if (configured is not null)
        {
            foreach (var (key, value) in configured)
            {
                if (string.Equals(key, external, StringComparison.OrdinalIgnoreCase))
                {
                    return value;
                }
            }
        }

        return defaults.TryGetValue(external, out var fallback) ? fallback
            : defaults.FirstOrDefault(d => string.Equals(d.Key, external, StringComparison.OrdinalIgnoreCase)).Value;
    }

    private static TicketStatus? ParseStatus(string value)
        => value.Length > 0 && char.IsLetter(value[0]) && Enum.TryParse<TicketStatus>(value, ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : null;

    private static TicketPriority? ParsePriority(string value)
        => value.Length > 0 && char.IsLetter(value[0]) && Enum.TryParse<TicketPriority>(value, ignoreCase: true, out var p) && Enum.IsDefined(p) ? p : null;

    private static ImmutableDictionary<string, string> Mapping(InputErrors errors, string field, Dictionary<string, string>? values, Func<string, bool> valid, string what)
    {
        if (values is null)
        {
            return ImmutableDictionary<string, string>.Empty;
        }

        if (values.Count > MaxMappings)
        {
            errors.Add(field, $"A mapping has at most {MaxMappings} entries.");
            return ImmutableDictionary<string, string>.Empty;
        }

        foreach (var (key, value) in values)
        {
            if (key.Length is 0 or > Bounds.NameLength || !Bounds.IsPrintable(key))
            {
                errors.Add($"{field}", $"A name to map has 1–{Bounds.NameLength} characters and no control characters.");
            }
            else if (value is null || !valid(value))
            {
                errors.Add($"{field}.{key}", $"'{Bounds.Echo(value ?? "", 80)}' is not {what}.");
            }
        }

        return values.ToImmutableDictionary(StringComparer.Ordinal);
    }

    private static IntegrationView View(ITicketSource source, IntegrationSettings? settings) => new(
        source.Name,
        settings?.Secret is not null,
        settings?.Statuses ?? ImmutableDictionary<string, string>.Empty,
        settings?.Priorities ?? ImmutableDictionary<string, string>.Empty,
        settings?.Organisations ?? ImmutableDictionary<string, string>.Empty,
        settings?.EscalatePast ?? false,
        source.DefaultStatuses,
        source.DefaultPriorities);

    private Failure UnknownSource(string source)
        => Failure.NotFound($"Integration source '{Bounds.Echo(source, 80)}' (known: {string.Join(", ", SourceNames)})");
}
