using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SlaGrains.Contracts.Network;

namespace SlaGrains.Grains.Outbound;

/// <summary>
/// The HTTP handler for every request made on a customer's behalf (webhook deliveries, HTTP probes, later Slack and
/// Teams): its connect callback resolves the host itself, refuses the connection when any resolved address is refused
/// by <see cref="OutboundTargets"/>, and connects to exactly the addresses it checked — so a name that resolved to a
/// public address when it was saved and resolves to 127.0.0.1 now (DNS rebinding) is refused, and so is every
/// redirect hop. No proxy: a proxy would be what is connected to, and the target's address would go unchecked. HTTP/3
/// (QUIC) does not go through a connect callback: requests made through this handler stay at the default HTTP/1.1
/// (HTTP/2 over TLS at most), which always does.
/// The operator's own SMTP relay and database are not contacted through this and are not subject to it.
/// </summary>
public sealed class OutboundHttp(OutboundTargets targets, IHostResolver resolver)
{
    /// <summary>The policy connections are checked against.</summary>
    public OutboundTargets Targets => targets;

    /// <summary>A handler that checks every connection; redirects are not followed automatically (callers decide per hop).</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        ConnectCallback = ConnectAsync,
        UseProxy = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    /// <summary>Resolves, checks and connects; throws <see cref="OutboundAddressRefusedException"/> before any packet is sent to a refused address.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var socket = await ConnectSocketAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken);
        return new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>
    /// The addresses <paramref name="host"/> stands for, each checked: what every request to a user-entered host (HTTP,
    /// TCP, TLS, ping, a DNS server) connects to, so no kind of probe reaches an address the policy refuses.
    /// </summary>
    /// <exception cref="OutboundAddressRefusedException">One of the addresses is refused; nothing was sent.</exception>
    /// <exception cref="SocketException">The name does not resolve.</exception>
    public async Task<IPAddress[]> ResolveCheckedAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var addresses = OutboundTargets.KnownAddresses(host) ?? await resolver.ResolveAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        foreach (var address in addresses)
        {
            if (targets.Refusal(address) is { } reason)
            {
                throw new OutboundAddressRefusedException($"'{host}' resolves to a {reason} address, which outbound requests may not reach.");
            }
        }

        return addresses;
    }

    /// <summary>A TCP connection (no delay) to <paramref name="host"/>:<paramref name="port"/> through <see cref="ResolveCheckedAsync"/>.</summary>
    public async Task<Socket> ConnectSocketAsync(string host, int port, CancellationToken cancellationToken)
    {
        var addresses = await ResolveCheckedAsync(host, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, port, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The outcome class of a failed request, for logs customers see: <c>refusedAddress</c>, <c>tlsError</c>,
    /// <c>connectionFailed</c> or <c>invalidResponse</c> — never the socket's own text, which would make the log a
    /// port scanner (connection refused vs. reset vs. no route).
    /// </summary>
    public static string Classify(HttpRequestException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        for (Exception? inner = error; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case OutboundAddressRefusedException:
                    return OutboundOutcomes.RefusedAddress;
                case AuthenticationException:
                    return OutboundOutcomes.TlsError;
            }
        }

        return error.HttpRequestError switch
        {
            HttpRequestError.SecureConnectionError => OutboundOutcomes.TlsError,
            HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded or HttpRequestError.HttpProtocolError
                or HttpRequestError.ConfigurationLimitExceeded => OutboundOutcomes.InvalidResponse,
            _ => OutboundOutcomes.ConnectionFailed,
        };
    }

    /// <summary>
    /// Registers <see cref="OutboundTargets"/> from <paramref name="configuration"/>'s <c>Network:AllowedPrivateTargets</c>
    /// (read now, so a bad CIDR fails the start with a message naming it), <see cref="OutboundCheck"/>, the system
    /// resolver and this handler's factory — each only when not registered yet (a test may bring its own resolver).
    /// </summary>
    /// <exception cref="InvalidOperationException">A configured entry is not a CIDR.</exception>
    public static IServiceCollection AddOutboundTargets(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        OutboundTargets targets;
        try
        {
            targets = OutboundTargets.Parse(configuration.GetSection(OutboundTargets.ConfigurationKey).GetChildren()
                .Select(c => new KeyValuePair<string, string?>(c.Path, c.Value)));
        }
        catch (FormatException error)
        {
            throw new InvalidOperationException(error.Message, error);
        }

        services.TryAddSingleton(targets);
        services.TryAddSingleton<IHostResolver, SystemHostResolver>();
        services.TryAddSingleton<OutboundCheck>();
        services.TryAddSingleton<OutboundHttp>();
        return services;
    }
}

/// <summary>The outcome classes of an outbound request, as shown in delivery logs and probe results.</summary>
public static class OutboundOutcomes
{
    /// <summary>A 2xx answer.</summary>
    public const string Delivered = "delivered";

    /// <summary>No answer within the timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>The address is not one outbound requests may reach; nothing was sent to it.</summary>
    public const string RefusedAddress = "refusedAddress";

    /// <summary>No connection could be made (refused, reset, unreachable, name not found).</summary>
    public const string ConnectionFailed = "connectionFailed";

    /// <summary>The TLS handshake failed (certificate, protocol).</summary>
    public const string TlsError = "tlsError";

    /// <summary>Something answered, but not with HTTP that could be read.</summary>
    public const string InvalidResponse = "invalidResponse";

    /// <summary>A 3xx answer to a request that does not follow redirects.</summary>
    public const string RedirectNotFollowed = "redirectNotFollowed";
}

/// <summary>The connect callback refused an address; the request fails before anything is sent to it.</summary>
public sealed class OutboundAddressRefusedException : IOException
{
    /// <summary>A refusal saying why.</summary>
    public OutboundAddressRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>A refusal saying why, with the cause.</summary>
    public OutboundAddressRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>A refusal.</summary>
    public OutboundAddressRefusedException()
    {
    }
}
