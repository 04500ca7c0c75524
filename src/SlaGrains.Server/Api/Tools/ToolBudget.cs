namespace SlaGrains.Server.Api.Tools;

/// <summary>
/// The time budget of one tool request (<c>Tools:TimeBudgetMilliseconds</c>, default 1,000): a cancellation the
/// calculation checks as it goes (once per pause, between steps), so no request runs long even if a bound turns out
/// too generous. A spent budget is a 503 problem: the request was valid, the server would not spend more on it.
/// </summary>
internal sealed class ToolBudget
{
    private const int DefaultMilliseconds = 1_000;

    private ToolBudget(CancellationToken token) => Token = token;

    /// <summary>Cancelled when the budget is spent or the client goes away.</summary>
    public CancellationToken Token { get; }

    /// <summary>The budget of the current request (set by <see cref="Filter"/>); none outside a tool request.</summary>
    public static CancellationToken Of(HttpContext http) => http.Features.Get<ToolBudget>()?.Token ?? http.RequestAborted;

    /// <summary>Gives every tool request its budget and turns a spent budget into a 503 problem.</summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var milliseconds = http.RequestServices.GetRequiredService<IConfiguration>().GetValue("Tools:TimeBudgetMilliseconds", DefaultMilliseconds);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        if (milliseconds > 0)
        {
            budget.CancelAfter(TimeSpan.FromMilliseconds(milliseconds));
        }
        else
        {
            budget.Cancel();
        }

        http.Features.Set(new ToolBudget(budget.Token));
        try
        {
            budget.Token.ThrowIfCancellationRequested();
            return await next(context);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Time budget spent",
                detail: $"The calculation did not finish within its {milliseconds:N0} ms budget; nothing was computed. Try a smaller question or try again later.");
        }
        finally
        {
            http.Features.Set<ToolBudget>(null);
        }
    }
}
