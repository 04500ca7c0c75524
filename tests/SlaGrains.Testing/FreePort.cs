using System.Net;
using System.Net.Sockets;

namespace SlaGrains.Testing;

/// <summary>Free TCP ports on the loopback interface, for servers and silos started by tests and benchmarks.</summary>
public static class FreePort
{
    /// <summary>A port nothing listens on right now (the OS picks it; another process could still take it before use).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
