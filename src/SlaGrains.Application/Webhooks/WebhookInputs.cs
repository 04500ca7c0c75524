using System.Collections.Immutable;
using SlaGrains.Contracts.Webhooks;

namespace SlaGrains.Application.Webhooks;

/// <summary>
/// A new webhook: an absolute http(s) <c>url</c> (at most <see cref="WebhookCommands.MaxUrlLength"/> characters), the
/// <c>eventTypes</c> it receives (at least one of <see cref="WebhookEventTypes.All"/>), and what it is for.
/// </summary>
public sealed record NewWebhookInput(string? Url, IReadOnlyList<string>? EventTypes, string? Description = null);

/// <summary>A page of the delivery log, newest attempt first: <see cref="Total"/> attempts the caller may see in all; pages start at 1.</summary>
public sealed record WebhookAttemptsPage(ImmutableArray<WebhookAttemptView> Items, int Total, int Page, int PageSize);
