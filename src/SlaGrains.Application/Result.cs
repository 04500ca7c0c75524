using System.Diagnostics.CodeAnalysis;
using SlaGrains.Domain;

namespace SlaGrains.Application;

/// <summary>Why a command or query did not succeed; the API maps each kind to one status code.</summary>
public enum FailureKind
{
    /// <summary>Input out of bounds or malformed (400), with messages per field.</summary>
    Invalid,

    /// <summary>Unknown — or another tenant's, which looks the same (404).</summary>
    NotFound,

    /// <summary>Signed in, but the role does not allow it (403).</summary>
    Forbidden,

    /// <summary>The id is taken (409).</summary>
    Conflict,

    /// <summary>A domain rule refused it (status from its code: 404, 400 or 409).</summary>
    Rejected,

    /// <summary>The request's own proof of origin (a webhook signature) is missing or wrong (401).</summary>
    Unauthenticated,
}

/// <summary>A failure: what kind, a sentence for people, and per-field messages or the domain's rejection.</summary>
public sealed record Failure(FailureKind Kind, string Message, IReadOnlyDictionary<string, string[]>? Errors = null, Rejection? Rejection = null)
{
    /// <summary>What went wrong, for people: each field's messages (they say what to fix; field names are JSON paths people need not read), else the sentence.</summary>
    public string ForPeople => Errors is { Count: > 0 } errors ? string.Join(" ", errors.Values.SelectMany(m => m)) : Message;

    /// <summary>400 for one field.</summary>
    public static Failure Invalid(string field, string message)
    {
        var errors = new InputErrors();
        errors.Add(field, message);
        return Invalid(errors) with { Message = Bounds.Echo(message, 1_000) };
    }

    /// <summary>400 for several fields.</summary>
    public static Failure Invalid(InputErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return new(FailureKind.Invalid, "The request is not valid.", errors.ToDictionary());
    }

    /// <summary>404: "<paramref name="what"/> does not exist."</summary>
    public static Failure NotFound(string what) => new(FailureKind.NotFound, $"{Bounds.Echo(what)} does not exist.");

    /// <summary>403.</summary>
    public static Failure Forbidden(string message) => new(FailureKind.Forbidden, message);

    /// <summary>409.</summary>
    public static Failure Conflict(string message) => new(FailureKind.Conflict, Bounds.Echo(message));

    /// <summary>401: the request's signature (or other proof of origin) is missing or wrong.</summary>
    public static Failure Unauthenticated(string message) => new(FailureKind.Unauthenticated, Bounds.Echo(message));

    /// <summary>A domain rejection.</summary>
    public static Failure Rejected(Rejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        return new(FailureKind.Rejected, rejection.Message, Rejection: rejection);
    }
}

/// <summary>A value, or why there is none. The one result type of the application layer.</summary>
public readonly record struct Result<T>
{
    private Result(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    /// <summary>The value when it succeeded.</summary>
    public T? Value { get; }

    /// <summary>Why it failed; null when it succeeded.</summary>
    public Failure? Failure { get; }

    /// <summary>True when there is a value.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Failure is null;

    /// <summary>A success (also for values of interface types, which cannot convert implicitly).</summary>
    public static Result<T> Success(T value) => new(value, null);

    /// <summary>A success.</summary>
    public static implicit operator Result<T>(T value) => new(value, null);

    /// <summary>A failure.</summary>
    public static implicit operator Result<T>(Failure failure) => new(default, failure ?? throw new ArgumentNullException(nameof(failure)));
}
