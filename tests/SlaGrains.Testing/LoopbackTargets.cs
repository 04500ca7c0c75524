namespace SlaGrains.Testing;

/// <summary>
/// The outbound allow-list tests with loopback receivers need (webhook receivers, probe targets): outbound requests
/// refuse loopback unless the operator lists it in <c>Network:AllowedPrivateTargets</c>, and so must every test.
/// </summary>
public static class LoopbackTargets
{
    /// <summary>127.0.0.0/8 and ::1/128 allowed, as configuration entries.</summary>
    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Network:AllowedPrivateTargets:0"] = "127.0.0.0/8",
        ["Network:AllowedPrivateTargets:1"] = "::1/128",
    };

    /// <summary>The same as command-line arguments (<c>--Network:AllowedPrivateTargets:0=127.0.0.0/8</c>, ...).</summary>
    public static string[] Arguments { get; } = [.. Settings.Select(s => $"--{s.Key}={s.Value}")];
}
