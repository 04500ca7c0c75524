namespace SlaGrains.Server.Hosting;

/// <summary>
/// What the process is in the cluster, from <c>Orleans:Role</c>: <c>silo</c> (default: it co-hosts a silo with the
/// web host) or <c>client</c> (a web front-end that joins the silos' cluster as an Orleans client and hosts no grains).
/// </summary>
internal static class OrleansRole
{
    public const string Key = "Orleans:Role";

    /// <summary>True for <c>client</c>, false for <c>silo</c> or nothing.</summary>
    /// <exception cref="InvalidOperationException">Any other value.</exception>
    public static bool IsClient(IConfiguration configuration)
        => (configuration[Key]?.Trim().ToLowerInvariant() ?? "silo") switch
        {
            "" or "silo" => false,
            "client" => true,
            _ => throw new InvalidOperationException($"{Key} must be 'silo' or 'client'; got '{configuration[Key]}'."),
        };
}
