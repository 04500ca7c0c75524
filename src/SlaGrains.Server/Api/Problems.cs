using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using SlaGrains.Domain;

namespace SlaGrains.Server.Api;

/// <summary>
/// RFC 7807 problem details for every error the API returns. Expected failures are values (a domain
/// <see cref="Rejection"/>, a field that does not parse) mapped here; a rejected request changed nothing.
/// </summary>
internal static class Problems
{
    /// <summary>404 naming what was not found (also what another tenant's data looks like).</summary>
    public static ProblemHttpResult NotFound(string what) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"{what} does not exist.");

    /// <summary>400 with one message per field (the JSON path or parameter name).</summary>
    public static ValidationProblem Invalid(string field, string message) => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>400 with messages per field.</summary>
    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) => TypedResults.ValidationProblem(errors);

    /// <summary>A domain rejection: 404 for unknown things, 400 for invalid input, 409 for a state that does not allow it.</summary>
    public static ProblemHttpResult Rejected(Rejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        var status = rejection.Code switch
        {
            var c when c.EndsWith("not-found", StringComparison.Ordinal) => StatusCodes.Status404NotFound,
            var c when c.StartsWith("invalid", StringComparison.Ordinal) || c.StartsWith("unknown", StringComparison.Ordinal) => StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status409Conflict,
        };
        return TypedResults.Problem(statusCode: status, title: rejection.Code, detail: rejection.Message, type: $"https://slagrains.dev/problems/{rejection.Code}");
    }

    /// <summary>409 for a conflict that is not a domain rejection (a name already taken).</summary>
    public static ProblemHttpResult Conflict(string detail) => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    /// <summary>403: signed in, but the role does not allow this.</summary>
    public static ProblemHttpResult Forbidden(string detail) => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);
}

/// <summary>
/// A body that is not JSON, or JSON of the wrong shape, becomes a 400 problem naming the JSON path (minimal APIs
/// throw <see cref="BadHttpRequestException"/> for it because <c>ThrowOnBadRequest</c> is on).
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var (field, message) = bad.InnerException switch
        {
            JsonException json => (json.Path ?? "$", $"The request body is not valid JSON for this endpoint: {FirstSentence(json.Message)}"),
            _ when bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) => ("$", "The request needs a JSON body."),
            _ => ("request", bad.Message),
        };
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
            {
                Status = bad.StatusCode,
                Title = "The request is not valid.",
                Detail = message,
            },
            Exception = exception,
        });
    }

    private static string FirstSentence(string message) => message.Split(" Path:", 2)[0];
}

/// <summary>Maps the application layer's results to HTTP: a value as given, a failure as its problem.</summary>
internal static class ApiResults
{
    /// <summary>The problem for a failure: 400 with field errors, 404, 403, 409, or the rejection's own status.</summary>
    public static IResult Problem(Failure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.Kind switch
        {
            FailureKind.Invalid => Problems.Invalid(new Dictionary<string, string[]>(failure.Errors ?? new Dictionary<string, string[]> { ["request"] = [failure.Message] })),
            FailureKind.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: failure.Message),
            FailureKind.Forbidden => Problems.Forbidden(failure.Message),
            FailureKind.Conflict => Problems.Conflict(failure.Message),
            _ => Problems.Rejected(failure.Rejection!),
        };
    }

    /// <summary>200 with the value, or the failure's problem.</summary>
    public static IResult Ok<T>(Result<T> result) => result.Succeeded ? TypedResults.Ok(result.Value) : Problem(result.Failure);

    /// <summary>200 with the value in the API's shape, or the failure's problem.</summary>
    public static IResult Ok<T, TResponse>(Result<T> result, Func<T, TResponse> shape)
        => result.Succeeded ? TypedResults.Ok(shape(result.Value)) : Problem(result.Failure);
}
