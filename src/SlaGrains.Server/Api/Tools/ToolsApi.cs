
namespace SlaGrains.Server.Api.Tools;

/// <summary>The what-if tools: computed only on the request's own data; nothing stored is read; no sign-in.</summary>
internal static class ToolsApi
{
    public static RouteGroupBuilder MapToolsApi(this RouteGroupBuilder tools)
    {
        // Anyone may call these: each request is bounded (ToolLimits), timed (ToolBudget) and counted per client address.
        tools.AddEndpointFilter(ToolBudget.Filter).RequireRateLimiting(Hosting.RateLimits.ToolsPolicy)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        tools.MapPost("/business-time", BusinessTimeTool.Compute)
            .WithSummary("Business time under a calendar: the due time of a duration, the business time until an instant, and whether and when it is open.");
        tools.MapPost("/availability", AvailabilityTool.Compute)
            .WithSummary("Availability of a period from its downtime and maintenance: uptime, whether the target is met, burn rate and error budget.");
        tools.MapPost("/credit", CreditTool.Compute)
            .WithSummary("The service credit for a month's availability under a credit schedule and cap.");
        return tools;
    }

    /// <summary>Adds "… is required." for a missing value; returns the value.</summary>
    internal static T? Required<T>(InputErrors errors, string field, T? value, string example)
        where T : struct
    {
        if (value is null)
        {
            errors.Add(field, $"{field[2..]} is required, e.g. {example}.");
        }

        return value;
    }

    /// <summary>
    /// Builds a domain value whose constructor validates several fields: an <see cref="ArgumentException"/> becomes
    /// an error on <c>{path}.{parameter name}</c> (the domain names parameters as the JSON does), or on
    /// <paramref name="path"/> when it names none.
    /// </summary>
    internal static T? Build<T>(InputErrors errors, string path, Func<T> build)
        where T : class
    {
        try
        {
            return build();
        }
        catch (ArgumentException error)
        {
            errors.Add(error.ParamName is { Length: > 0 } name ? $"{path}.{name}" : path, error.Message.Split(" (Parameter", 2)[0]);
            return null;
        }
    }

    /// <summary>A duration as (possibly fractional) seconds, exact to the nanosecond.</summary>
    internal static decimal Seconds(Duration duration) => (decimal)duration.ToBigIntegerNanoseconds() / 1_000_000_000m;
}
