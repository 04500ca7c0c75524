using System.Net;
using System.Net.Sockets;

namespace SlaGrains.Contracts.Network;

/// <summary>
/// Turns a host name into addresses: the one seam between the outbound checks and DNS. <see cref="SystemHostResolver"/>
/// asks the operating system; the save-time check and the connect-time check use the same instance.
/// </summary>
public interface IHostResolver
{
    /// <summary>The addresses <paramref name="host"/> (a DNS name, not an address) resolves to; throws <see cref="SocketException"/> when it does not.</summary>
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The operating system's resolver (<see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/>).</summary>
public sealed class SystemHostResolver : IHostResolver
{
    /// <inheritdoc />
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>
/// The save-time check of an outbound URL (a webhook's, a probe's): <see cref="OutboundTargets.UrlProblem"/>, then the
/// host name resolved and refused when any of its addresses is. A name that does not resolve (yet) passes: nothing can
/// be contacted through it, and the connect-time check (in the HTTP clients' connect callback) judges whatever it
/// resolves to when a request is made — which is also what stops DNS rebinding.
/// </summary>
public sealed class OutboundCheck(OutboundTargets targets, IHostResolver resolver)
{
    /// <summary>How long the save-time resolution may take before the name counts as not resolving.</summary>
    public static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The policy checked.</summary>
    public OutboundTargets Targets => targets;

    /// <summary>What is wrong with <paramref name="url"/> as an outbound target; null when it may be saved.</summary>
    public async Task<string?> ProblemAsync(string? url, CancellationToken cancellationToken = default)
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri))
        {
            return "Only absolute http or https URLs are allowed.";
        }

        if (targets.UrlProblem(uri) is { } problem)
        {
            return problem;
        }

        if (OutboundTargets.KnownAddresses(uri.DnsSafeHost) is not null)
        {
            return null;
        }

        return await ResolvedProblemAsync(uri.DnsSafeHost, cancellationToken);
    }

    /// <summary>
    /// What is wrong with <paramref name="host"/> (a name or an address, as a tcp, tls, ping or dns monitor names it) as
    /// an outbound target: an address or <c>localhost</c> name the policy refuses, or a name that resolves to one; null
    /// when it may be saved (a name that does not resolve yet passes, as for URLs).
    /// </summary>
    public async Task<string?> HostProblemAsync(string host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        var bare = host.Trim().Trim('[', ']');
        if (OutboundTargets.KnownAddresses(bare) is { } known)
        {
            return targets.AddressProblem(known, "The host");
        }

        return await ResolvedProblemAsync(bare, cancellationToken, "The host");
    }

    private async Task<string?> ResolvedProblemAsync(string host, CancellationToken cancellationToken, string what = "The URL")
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ResolveTimeout);
        IPAddress[] addresses;
        try
        {
            addresses = await resolver.ResolveAsync(host, timeout.Token);
        }
        catch (Exception error) when (error is SocketException or OperationCanceledException or ArgumentException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        return targets.AddressProblem(addresses, what);
    }
}
