namespace SlaGrains.Contracts.Channels;

/// <summary>
/// The channel targets an escalation rule's <c>notify</c> may name besides users, teams and roles:
/// <c>slack:&lt;incoming webhook URL&gt;</c> and <c>teams:&lt;workflow webhook URL&gt;</c>. The URL is held to the outbound
/// address rules when the rule is saved and when it is connected to.
/// </summary>
public static class ChannelTargets
{
    /// <summary>The prefix of a Slack target.</summary>
    public const string SlackPrefix = "slack:";

    /// <summary>The prefix of a Teams target.</summary>
    public const string TeamsPrefix = "teams:";

    /// <summary>The channel and URL <paramref name="target"/> names (<c>slack:https://…</c>, <c>teams:https://…</c>); null for any other target.</summary>
    public static (ChannelKind Channel, string Url)? Parse(string? target)
    {
        var text = target?.Trim();
        if (text is null)
        {
            return null;
        }

        if (text.StartsWith(SlackPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return (ChannelKind.Slack, text[SlackPrefix.Length..].Trim());
        }

        return text.StartsWith(TeamsPrefix, StringComparison.OrdinalIgnoreCase) ? (ChannelKind.Teams, text[TeamsPrefix.Length..].Trim()) : null;
    }
}
