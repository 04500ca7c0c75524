using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using SlaGrains.Server.Api.Json;
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

    /// <summary>
    /// Says what to do in the problems the framework writes itself (status-code pages: a body the endpoint does not
    /// read as JSON, one over the size limit, a method the path does not take), which otherwise carry a title only.
    /// Problems that already say something are left as they are.
    /// </summary>
    public static void Explain(ProblemDetailsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Detail ??= problem.Status switch
            {
                StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON, with Content-Type: application/json.",
                StatusCodes.Status413PayloadTooLarge => context.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } limit
                    ? $"The request body is larger than {limit:N0} bytes, the most this endpoint reads."
                    : "The request body is larger than this endpoint reads.",
                StatusCodes.Status405MethodNotAllowed => $"This path does not take {context.HttpContext.Request.Method} (see /openapi/v1.json).",
                _ => null,
            };
        };
    }

    /// <summary>403: signed in, but the role does not allow this.</summary>
    public static ProblemHttpResult Forbidden(string detail) => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);
}

/// <summary>
/// Input the framework refuses before an endpoint runs becomes a problem that names the field and says what it takes:
/// a body that is not JSON or of the wrong shape (400, the JSON path), a query or route value that does not bind (400,
/// the parameter name), a missing body (400, <c>$</c>), a body that is not JSON by its content type (415), one over the
/// size limit (413). Minimal APIs throw <see cref="BadHttpRequestException"/> for these because <c>ThrowOnBadRequest</c>
/// is on. The messages are ours: the framework's and the serializer's name .NET types and parameters
/// (<c>Nullable&lt;int&gt; limit</c>, <c>System.Int32</c>), which callers need not see.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        Refusal? refusal = exception switch
        {
            BadHttpRequestException bad => Describe(httpContext, bad),
            JsonException json => FromJson(json),
            _ => null,
        };
        if (refusal is not { } r)
        {
            return false;
        }

        httpContext.Response.StatusCode = r.Status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [r.Field] = [r.Message] })
            {
                Status = r.Status,
                Title = r.Title,
                Detail = r.Message,
            },
            Exception = exception,
        });
    }

    /// <summary>What a JSON value that does not deserialize is told: our converters' reason, else a generic one.</summary>
    internal static string Describe(JsonException json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var at = json.LineNumber is { } line && json.BytePositionInLine is { } position ? $" (line {line + 1}, byte {position + 1})" : "";
        return json switch
        {
            JsonInputException input => input.Reason,
            _ when json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
                => "This value does not have the type this field takes (see /openapi/v1.json for the request's shape).",
            _ when json.Message.Contains("maximum configured depth", StringComparison.Ordinal) => $"The request body nests deeper than JSON is read here{at}.",
            _ => $"The request body is not valid JSON{at}.",
        };
    }

    private static Refusal FromJson(JsonException json) => new(StatusCodes.Status400BadRequest, "The request is not valid.", json.Path ?? "$", Describe(json));

    private static Refusal Describe(HttpContext httpContext, BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            return FromJson(json);
        }

        switch (bad.StatusCode)
        {
            case StatusCodes.Status415UnsupportedMediaType:
                return new(bad.StatusCode, "Unsupported media type.", "Content-Type", "Send the body as JSON, with Content-Type: application/json.");
            case StatusCodes.Status413PayloadTooLarge:
                var limit = httpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
                return new(bad.StatusCode, "The request body is too large.", "$", limit is { } bytes ? $"The request body is larger than {bytes:N0} bytes, the most this endpoint reads." : "The request body is larger than this endpoint reads.");
            case StatusCodes.Status408RequestTimeout:
                return new(bad.StatusCode, "The request body came too slowly.", "$", "The request body arrived too slowly.");
        }

        var parameter = Parameter().Match(bad.Message);
        var name = parameter.Success ? parameter.Groups["name"].Value : null;
        return bad.Message switch
        {
            _ when name is not null && bad.Message.StartsWith("Failed to bind parameter", StringComparison.Ordinal)
                => Invalid(name, $"{name} must be {Expected(parameter.Groups["type"].Value)}."),
            _ when name is not null && bad.Message.StartsWith("Required parameter", StringComparison.Ordinal) && !bad.Message.EndsWith("from body.", StringComparison.Ordinal)
                => Invalid(name, $"{name} is required."),
            _ when bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) => Invalid("$", "The request needs a JSON body."),
            _ => Invalid("request", "The request could not be read."),
        };

        static Refusal Invalid(string field, string message) => new(StatusCodes.Status400BadRequest, "The request is not valid.", field, message);
    }

    /// <summary>What a query or route value of a parameter's type looks like, in words.</summary>
    private static string Expected(string type) => type switch
    {
        _ when type.Contains("bool", StringComparison.OrdinalIgnoreCase) => "true or false",
        _ when type.Contains("int", StringComparison.OrdinalIgnoreCase) || type.Contains("long", StringComparison.OrdinalIgnoreCase)
            => "a whole number within range",
        _ when type.Contains("decimal", StringComparison.OrdinalIgnoreCase) || type.Contains("double", StringComparison.OrdinalIgnoreCase) => "a number",
        _ => "a value of the documented form (see /openapi/v1.json)",
    };

    // The framework's messages name the parameter as "Type name": Failed to bind parameter "Nullable<int> limit" from "x".
    [GeneratedRegex("parameter \"(?<type>[^\"]*) (?<name>[A-Za-z_][A-Za-z0-9_]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex Parameter();

    private readonly record struct Refusal(int Status, string Title, string Field, string Message);
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
            FailureKind.Unauthenticated => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not authenticated", detail: failure.Message),
            _ => Problems.Rejected(failure.Rejection!),
        };
    }

    /// <summary>200 with the value, or the failure's problem.</summary>
    public static IResult Ok<T>(Result<T> result) => result.Succeeded ? TypedResults.Ok(result.Value) : Problem(result.Failure);

    /// <summary>200 with the value in the API's shape, or the failure's problem.</summary>
    public static IResult Ok<T, TResponse>(Result<T> result, Func<T, TResponse> shape)
        => result.Succeeded ? TypedResults.Ok(shape(result.Value)) : Problem(result.Failure);
}
