namespace SlaGrains.Application.Incidents;

/// <summary>
/// An update to post to an incident: <c>status</c> (<c>investigating</c>, <c>identified</c>, <c>monitoring</c> or
/// <c>resolved</c>) and <c>message</c> (1–10,000 characters; line breaks and tabs allowed).
/// </summary>
public sealed record IncidentUpdateInput(string? Status, string? Message);

/// <summary>
/// A manual incident to open for a customer: <c>title</c> (1–200 characters), <c>components</c> (1–100 monitor ids of
/// the customer's components), <c>impact</c> (<c>degraded</c>, <c>partialOutage</c> or <c>majorOutage</c>), the first
/// update's <c>message</c> and, optionally, its <c>status</c> (<c>investigating</c> by default; not <c>resolved</c>).
/// </summary>
public sealed record NewIncidentInput(string? Title, List<string?>? Components, string? Impact, string? Message, string? Status = null);
