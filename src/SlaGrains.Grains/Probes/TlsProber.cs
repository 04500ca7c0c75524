using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Grains.Outbound;

namespace SlaGrains.Grains.Probes;

/// <summary>
/// Certificate authorities a TLS probe trusts besides the system's: <c>Probes:TrustedRootsPath</c>, a PEM file of root
/// certificates (an operator's private CA; the tests' own CA). It adds trust; it never turns validation off.
/// </summary>
public sealed class TlsProbeTrust(X509Certificate2Collection roots)
{
    /// <summary>The configuration key of the PEM file.</summary>
    public const string ConfigurationKey = "Probes:TrustedRootsPath";

    /// <summary>The extra roots; empty: the system's trust only.</summary>
    public X509Certificate2Collection Roots { get; } = roots;

    /// <summary>The roots in the file <see cref="ConfigurationKey"/> names (none when unset); a missing or unreadable file fails the start naming it.</summary>
    /// <exception cref="InvalidOperationException">The file cannot be read as PEM certificates.</exception>
    public static TlsProbeTrust From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var roots = new X509Certificate2Collection();
        if (configuration[ConfigurationKey] is { Length: > 0 } path)
        {
            try
            {
                roots.ImportFromPemFile(path);
            }
            catch (Exception error) when (error is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"{ConfigurationKey}: '{path}' is not a readable PEM file of certificates.", error);
            }
        }

        return new TlsProbeTrust(roots);
    }
}

/// <summary>
/// Runs one TLS probe: a TCP connection to the host and port (resolved, every address checked by
/// <see cref="OutboundHttp"/>), then a TLS handshake with SNI = the host, validating the certificate as a browser would
/// (system trust plus <see cref="TlsProbeTrust"/>'s roots; revocation is not checked: that would contact the CA's
/// servers, addresses nobody entered). Down, with the reason in a few words, when the handshake fails or the
/// certificate is expired, not yet valid, not valid for the host or not trusted; the response time is connect plus
/// handshake, and the leaf certificate's expiry is reported whenever a certificate was seen (also when down for it).
/// </summary>
public sealed class TlsProber(OutboundHttp outbound, TlsProbeTrust trust)
{
    /// <summary>Probes <paramref name="settings"/> from <paramref name="region"/>; dated and timed by <paramref name="time"/>.</summary>
    public async Task<ProbeReport> ProbeAsync(TlsProbeSettings settings, string region, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        var at = time.Now();
        var started = time.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout.ToTimeSpan());
        var host = settings.Host.Trim('[', ']');
        Instant? expiresAt = null;
        string? problem = null;
        try
        {
            var socket = await outbound.ConnectSocketAsync(host, settings.Port, timeout.Token);
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = host,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                {
                    (expiresAt, problem) = Judge(certificate, chain, errors, time.GetUtcNow());
                    return problem is null;
                },
            };
            await tls.AuthenticateAsClientAsync(options, timeout.Token);
            var elapsed = Elapsed(time, started);
            var until = expiresAt is { } e ? $", certificate valid until {e.InUtc().Date:yyyy-MM-dd}" : string.Empty;
            return new ProbeReport(region, at, true, null, elapsed, $"TLS handshake with port {settings.Port}{until}", expiresAt);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeReport(region, at, false, null, null, $"no handshake within {settings.Timeout.TotalSeconds:0.###} s", expiresAt);
        }
        catch (OutboundAddressRefusedException)
        {
            return new ProbeReport(region, at, false, null, null, $"not probed: {OutboundOutcomes.RefusedAddress}");
        }
        catch (SocketException)
        {
            return new ProbeReport(region, at, false, null, null, $"no connection: {OutboundOutcomes.ConnectionFailed}");
        }
        catch (Exception error) when (error is AuthenticationException or IOException)
        {
            // A certificate judged here says why; anything else (no common protocol, the peer hung up) is the handshake.
            return problem is not null
                ? new ProbeReport(region, at, false, null, Elapsed(time, started), problem, expiresAt)
                : new ProbeReport(region, at, false, null, null, "TLS handshake failed", expiresAt);
        }
    }

    /// <summary>
    /// The leaf's expiry and what is wrong with the certificate (null: valid), checked in the order an operator fixes
    /// things: its dates, its names, its chain. The chain is trusted when the system trusts it or, failing that, when it
    /// builds to one of <see cref="TlsProbeTrust.Roots"/>.
    /// </summary>
    private (Instant? ExpiresAt, string? Problem) Judge(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, DateTimeOffset now)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return (null, "no certificate");
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var expiresAt = Instant.FromDateTimeOffset(new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero));
        if (now.UtcDateTime > leaf.NotAfter.ToUniversalTime())
        {
            return (expiresAt, "certificate expired");
        }

        if (now.UtcDateTime < leaf.NotBefore.ToUniversalTime())
        {
            return (expiresAt, "certificate not yet valid");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return (expiresAt, "certificate not valid for host");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) && !ChainsToTrustedRoot(leaf, chain, now))
        {
            return (expiresAt, "certificate not trusted");
        }

        return (expiresAt, null);
    }

    private bool ChainsToTrustedRoot(X509Certificate2 leaf, X509Chain? presented, DateTimeOffset now)
    {
        if (trust.Roots.Count == 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trust.Roots);
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(leaf);
    }

    private static Duration Elapsed(TimeProvider time, long started) => Duration.FromTimeSpan(time.GetElapsedTime(started));
}
