using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using static SlaGrains.Application.Integrations.SourceReading;

namespace SlaGrains.Application.Integrations;

/// <summary>
/// Jira Service Management webhooks (docs/integrations.md, "Jira Service Management"): <c>jira:issue_created</c>,
/// <c>jira:issue_updated</c> (its <c>changelog.items</c> say what changed) and <c>comment_created</c>
/// (https://developer.atlassian.com/cloud/jira/platform/webhooks/). A webhook registered with a secret is signed
/// <c>X-Hub-Signature: sha256=&lt;hex HMAC-SHA256(secret, body)&gt;</c> (the WebSub scheme Atlassian documents under
/// "Secure admin webhooks"); the body carries no signed time, so replays are stopped by the event ids instead.
/// </summary>
public sealed class JiraSource : ITicketSource
{
    private const string SignaturePrefix = "sha256=";

    /// <inheritdoc />
    public string Name => "jira";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> DefaultStatuses { get; } = Map(
        ("Open", "new"), ("To Do", "new"), ("Waiting for support", "open"), ("Reopened", "open"),
        ("In Progress", "inProgress"), ("Work in progress", "inProgress"), ("Escalated", "inProgress"),
        ("Waiting for customer", "waitingOnCustomer"), ("Pending", "onHold"), ("On Hold", "onHold"),
        ("Resolved", "resolved"), ("Done", "resolved"), ("Completed", "resolved"), ("Canceled", "closed"),
        ("Cancelled", "closed"), ("Closed", "closed"));

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> DefaultPriorities { get; } = Map(
        ("Highest", "p1"), ("Blocker", "p1"), ("Critical", "p1"), ("High", "p2"), ("Major", "p2"), ("Medium", "p3"),
        ("Low", "p4"), ("Lowest", "p4"), ("Minor", "p4"), ("Trivial", "p4"));

    /// <inheritdoc />
    public string? VerifySignature(IntegrationRequest request, string? secret, Instant now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(secret))
        {
            return "No webhook secret is configured for jira: set the same secret on the Jira webhook and on the source.";
        }

        var header = Header(request, "X-Hub-Signature");
        if (string.IsNullOrWhiteSpace(header))
        {
            return "The request has no X-Hub-Signature header: register the Jira webhook with a secret.";
        }

        header = header.Trim();
        if (!header.StartsWith(SignaturePrefix, StringComparison.OrdinalIgnoreCase))
        {
            return "X-Hub-Signature must read sha256=<hex>; other algorithms are not accepted.";
        }

        var given = FromHex(header[SignaturePrefix.Length..]);
        if (given is null)
        {
            return "X-Hub-Signature's digest is not hex.";
        }

        var expected = HmacSha256(Encoding.UTF8.GetBytes(secret), request.Body.Span);
        return SameBytes(expected, given) ? null : "X-Hub-Signature does not match the body signed with the configured secret.";
    }

    /// <inheritdoc />
    public Result<ImmutableArray<ExternalTicketEvent>> Read(IntegrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parsed = ParseJsonObject(request.Body, Name);
        if (!parsed.Succeeded)
        {
            return parsed.Failure;
        }

        using var document = parsed.Value;
        var root = document.RootElement;

        var errors = new InputErrors();
        var events = ImmutableArray.CreateBuilder<ExternalTicketEvent>();
        var webhookEvent = RequiredText(Prop(root, "webhookEvent"), "$.webhookEvent", errors);
        var at = EpochMilliseconds(Prop(root, "timestamp"), "$.timestamp", errors);
        var issue = Prop(root, "issue");
        if (issue.ValueKind != JsonValueKind.Object && webhookEvent is "jira:issue_created" or "jira:issue_updated" or "comment_created")
        {
            errors.Add("$.issue", "$.issue is required.");
        }

        if (errors.Any || webhookEvent is null || at is null || issue.ValueKind != JsonValueKind.Object)
        {
            // Other events (projects, sprints, users) carry no issue and are none of our business.
            return errors.Any ? Failure.Invalid(errors) : events.ToImmutable();
        }

        var fields = Prop(issue, "fields");
        var key = RequiredText(Prop(issue, "key"), "$.issue.key", errors, MaxIdLength);
        var organisation = Text(Prop(Prop(fields, "project"), "key"), "$.issue.fields.project.key", errors);
        if (key is null)
        {
            return Failure.Invalid(errors);
        }

        ExternalTicketEvent Event(string id, string type) => new(id, key, type, at.Value, Organisation: organisation);

        switch (webhookEvent)
        {
            case "jira:issue_created":
                var issueId = RequiredText(Prop(issue, "id"), "$.issue.id", errors, MaxIdLength);
                var status = RequiredText(Prop(Prop(fields, "status"), "name"), "$.issue.fields.status.name", errors);
                var priority = Text(Prop(Prop(fields, "priority"), "name"), "$.issue.fields.priority.name", errors);
                var subject = Text(Prop(fields, "summary"), "$.issue.fields.summary", errors, Bounds.SubjectLength);
                if (issueId is not null)
                {
                    events.Add(Event($"created:{issueId}", TicketEventTypes.Created) with { Status = status, Priority = priority, Subject = subject });
                    var assignee = Text(Prop(Prop(fields, "assignee"), "displayName"), "$.issue.fields.assignee.displayName", errors);
                    if (assignee is not null)
                    {
                        events.Add(Event($"created:{issueId}:assigned", TicketEventTypes.Assigned) with { Assignee = assignee });
                    }
                }

                break;
            case "jira:issue_updated":
                ReadChangelog(root, Event, events, errors);
                ReadComment(root, fields, required: false, Event, events, errors);
                break;
            case "comment_created":
                ReadComment(root, fields, required: true, Event, events, errors);
                break;
        }

        return Done(errors, events);
    }

    private static void ReadChangelog(JsonElement root, Func<string, string, ExternalTicketEvent> @event, ImmutableArray<ExternalTicketEvent>.Builder events, InputErrors errors)
    {
        var changelog = Prop(root, "changelog");
        if (IsMissing(changelog))
        {
            return;
        }

        var changeId = RequiredText(Prop(changelog, "id"), "$.changelog.id", errors, MaxIdLength);
        var items = Prop(changelog, "items");
        if (items.ValueKind != JsonValueKind.Array)
        {
            errors.Add("$.changelog.items", "$.changelog.items must be an array.");
            return;
        }

        if (changeId is null)
        {
            return;
        }

        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var path = $"$.changelog.items[{index.ToString(CultureInfo.InvariantCulture)}]";
            index++;
            if (index > 100)
            {
                errors.Add("$.changelog.items", "$.changelog.items has more than 100 changes.");
                return;
            }

            var field = Text(Prop(item, "field"), $"{path}.field", errors);
            var to = Text(Prop(item, "toString"), $"{path}.toString", errors);
            switch (field?.ToLowerInvariant())
            {
                case "status" when to is not null:
                    events.Add(@event($"change:{changeId}:status", TicketEventTypes.Status) with { Status = to });
                    break;
                case "status":
                    errors.Add($"{path}.toString", $"{path}.toString (the new status) is required.");
                    break;
                case "priority" when to is not null:
                    events.Add(@event($"change:{changeId}:priority", TicketEventTypes.Priority) with { Priority = to });
                    break;
                case "assignee":
                    events.Add(@event($"change:{changeId}:assignee", TicketEventTypes.Assigned) with { Assignee = to });
                    break;
            }
        }
    }

    private static void ReadComment(JsonElement root, JsonElement fields, bool required, Func<string, string, ExternalTicketEvent> @event, ImmutableArray<ExternalTicketEvent>.Builder events, InputErrors errors)
    {
        var comment = Prop(root, "comment");
        if (IsMissing(comment))
        {
            if (required)
            {
                errors.Add("$.comment", "$.comment is required for comment_created.");
            }

            return;
        }

        var commentId = RequiredText(Prop(comment, "id"), "$.comment.id", errors, MaxIdLength);
        var isPublic = Flag(Prop(comment, "jsdPublic"), "$.comment.jsdPublic", errors);
        var author = Prop(comment, "author");
        var authorId = Text(Prop(author, "accountId"), "$.comment.author.accountId", errors);
        var accountType = Text(Prop(author, "accountType"), "$.comment.author.accountType", errors);
        var reporterId = Text(Prop(Prop(fields, "reporter"), "accountId"), "$.issue.fields.reporter.accountId", errors);
        if (commentId is null || isPublic == false)
        {
            // An internal comment (jsdPublic false) is not a reply: it moves no clock.
            return;
        }

        // Service-desk customers have accountType "customer"; a licensed user who raised the issue is its reporter.
        var fromCustomer = string.Equals(accountType, "customer", StringComparison.OrdinalIgnoreCase)
            || (authorId is not null && authorId == reporterId);
        events.Add(@event($"comment:{commentId}", fromCustomer ? TicketEventTypes.CustomerReply : TicketEventTypes.AgentReply));
    }
}
