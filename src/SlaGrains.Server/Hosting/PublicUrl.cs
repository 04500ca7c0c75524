using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace SlaGrains.Server.Hosting;

/// <summary>
/// The address people reach the app at, for absolute links in emails and Slack/Teams cards: <c>App:PublicUrl</c>
/// (an absolute http(s) URL, checked at start), or else the server's own first listening address (a wildcard host
/// such as <c>[::]</c> or <c>0.0.0.0</c> becomes <c>localhost</c>).
/// </summary>
internal sealed class PublicUrl(IConfiguration configuration, IServer server)
{
    /// <summary>The configuration key.</summary>
    public const string Key = "App:PublicUrl";

    private readonly Uri? _configured = Configured(configuration);

    /// <summary>The base URL.</summary>
    public Uri Get()
    {
        if (_configured is { } url)
        {
            return url;
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null || !Uri.TryCreate(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var listening))
        {
            return new Uri("http://localhost:5000/");
        }

        var builder = new UriBuilder(listening);
        if (builder.Host is "[::]" or "::" or "0.0.0.0")
        {
            builder.Host = "localhost";
        }

        return builder.Uri;
    }

    /// <summary>The configured <c>App:PublicUrl</c>, ending in '/'; null when unset. Fails the start on one that is not an absolute http(s) URL.</summary>
    public static Uri? Configured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[Key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/")
            : throw new InvalidOperationException($"{Key} must be an absolute http(s) URL such as https://sla.example.com/; got '{text}'.");
    }
}
