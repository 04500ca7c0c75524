using System.Collections.Immutable;
using System.Security.Claims;
using SlaGrains.Application.Channels;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Channels;

namespace SlaGrains.Server.Api;

/// <summary>
/// The channel outbox (email, Slack, Teams) for staff: the delivery log, pending messages, dead letters and
/// redelivery, over the application layer's <see cref="Notifications"/>.
/// </summary>
internal static class NotificationsApi
{
    public static void MapNotificationsApi(this RouteGroupBuilder api)
    {
        var notifications = api.MapGroup("/notifications").WithTags("Notifications");
        notifications.MapGet("/deliveries", async (ClaimsPrincipal user, Notifications queries, long? before, int? pageSize) => ApiResults.Ok(await queries.Deliveries(Caller.From(user), before, pageSize)))
            .Produces<OutboxAttemptPage>().ProducesValidationProblem()
            .WithSummary("The delivery log of email, Slack and Teams messages, newest first (staff); ?before=<attemptId from the last page>&pageSize=1–500.");
        notifications.MapGet("/pending", async (ClaimsPrincipal user, Notifications queries, int? pageSize) => ApiResults.Ok(await queries.Pending(Caller.From(user), pageSize)))
            .Produces<ImmutableArray<OutboxMessageView>>().WithSummary("Messages waiting for their next attempt, earliest due first (staff).");
        notifications.MapGet("/dead-letters", async (ClaimsPrincipal user, Notifications queries, int? pageSize) => ApiResults.Ok(await queries.DeadLetters(Caller.From(user), pageSize)))
            .Produces<ImmutableArray<OutboxMessageView>>().WithSummary("Messages whose attempts all failed or were refused for good, newest first (staff).");
        notifications.MapPost("/dead-letters/{messageId}/redeliver", Redeliver)
            .Produces<OutboxMessageView>(StatusCodes.Status202Accepted).WithSummary("Queues a dead letter for a new round of attempts, starting now (admins and managers); escape the message id (a '/' as %2F).");
    }

    private static async Task<IResult> Redeliver(string messageId, ClaimsPrincipal user, Notifications commands)
    {
        // Message ids may hold '/' (an escalation's id does); the server leaves an escaped one (%2F) escaped in route values.
        var result = await commands.Redeliver(Caller.From(user), messageId.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase));
        return result.Succeeded ? TypedResults.Accepted("/api/v1/notifications/pending", result.Value) : ApiResults.Problem(result.Failure);
    }
}
