using SlaGrains.Application.Monitors;
using SlaGrains.Contracts.Monitors;

namespace SlaGrains.Ui.Pages;

/// <summary>
/// The kinds besides push and http in the "Add monitor" row: the kind selector shows <see cref="TcpMonitorFields"/>,
/// <see cref="DnsMonitorFields"/> or <see cref="PingMonitorFields"/> for them, and the new monitor's request takes
/// their settings in its sub-object of that kind. Kept apart from the http fields so each kind's form is its own file.
/// </summary>
public partial class HttpMonitorFields
{
    private TcpMonitorFields? _tcp;
    private DnsMonitorFields? _dns;
    private PingMonitorFields? _ping;

    /// <summary>Whether a monitor that probes by itself (http, tcp, dns, ping, ...) is being added.</summary>
    public bool IsProbing => MonitorKinds.Probes(_kind);

    /// <summary><paramref name="request"/> with the settings of the chosen tcp, dns or ping kind; unchanged for the others.</summary>
    public NewMonitorRequest WithKindSettings(NewMonitorRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _kind switch
        {
            MonitorKinds.Tcp => request with { Tcp = _tcp?.Build() },
            MonitorKinds.Dns => request with { Dns = _dns?.Build() },
            MonitorKinds.Ping => request with { Ping = _ping?.Build() },
            _ => request,
        };
    }
}
