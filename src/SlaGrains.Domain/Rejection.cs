namespace SlaGrains.Domain;

/// <summary>
/// Why a command was refused. Commands never throw for expected failures: they return a rejection
/// that the API maps to a problem detail, and nothing changes.
/// </summary>
/// <param name="Code">A stable, machine-readable code (for example <c>ticket-closed</c>).</param>
/// <param name="Message">A sentence a person can act on.</param>
public sealed record Rejection(string Code, string Message);
