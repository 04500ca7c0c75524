using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SlaGrains.Testing;

/// <summary>
/// A test certificate authority and the server certificates it signs, made in memory with
/// <see cref="CertificateRequest"/>: nothing is installed anywhere. Probers trust the CA only when told to (its PEM file
/// as <c>Probes:TrustedRootsPath</c>).
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);

    public TestCertificateAuthority()
    {
        var request = new CertificateRequest("CN=SlaGrains Test CA", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = TimeProvider.System.GetUtcNow();
        Root = request.CreateSelfSigned(now.AddYears(-1), now.AddYears(10));
    }

    /// <summary>The CA's certificate (with its key).</summary>
    public X509Certificate2 Root { get; }

    /// <summary>Writes the CA's certificate as PEM to a new temporary file and returns its path.</summary>
    public string WriteRootPem()
    {
        var path = Path.Combine(Path.GetTempPath(), $"slagrains-test-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, Root.ExportCertificatePem());
        return path;
    }

    /// <summary>A server certificate for <paramref name="dnsName"/> (and 127.0.0.1) valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>, with its private key.</summary>
    public X509Certificate2 Issue(string dnsName, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        Span<byte> serial = stackalloc byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7f;
        using var issued = request.Create(Root, notBefore, notAfter, serial.ToArray());

        // Exported and read back: Kestrel on Linux needs the key attached as a persisted (PFX) key, not an ephemeral one.
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
    }

    public void Dispose()
    {
        Root.Dispose();
        _key.Dispose();
    }
}

/// <summary>
/// A real HTTPS server (Kestrel on 127.0.0.1) with one port per certificate: TLS probes connect to
/// <c>localhost:{port}</c> and get that certificate in the handshake.
/// </summary>
public sealed class TlsTargets : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TlsTargets(WebApplication app, IReadOnlyDictionary<string, int> ports)
    {
        _app = app;
        Ports = ports;
    }

    /// <summary>The port serving each named certificate.</summary>
    public IReadOnlyDictionary<string, int> Ports { get; }

    /// <summary>Starts one HTTPS listener per entry of <paramref name="certificates"/> (name → certificate).</summary>
    public static async Task<TlsTargets> StartAsync(IReadOnlyDictionary<string, X509Certificate2> certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        var ports = certificates.Keys.ToDictionary(name => name, _ => FreePort.Next(), StringComparer.Ordinal);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o =>
        {
            foreach (var (name, certificate) in certificates)
            {
                o.Listen(IPAddress.Loopback, ports[name], listen => listen.UseHttps(certificate));
            }
        });
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync("ok"));
        await app.StartAsync();
        return new TlsTargets(app, ports);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
