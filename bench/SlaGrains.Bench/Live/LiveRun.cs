using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace SlaGrains.Bench.Live;

/// <summary>
/// What every live scenario shares: its options, one cancellation for Ctrl-C (the scenario unwinds through its
/// <c>finally</c> blocks and stops what it started), a last-resort kill of child processes at exit, the machine
/// description and the figures table it prints.
/// </summary>
internal sealed class LiveRun
{
    private static readonly ConcurrentDictionary<int, Process> Children = new();
    private static readonly CancellationTokenSource Stopping = new();
    private static int _handlersInstalled;
    private static PosixSignalRegistration? _sigterm;

    private readonly string[] _args;
    private readonly string _loadAtStart;
    private readonly List<(string Figure, string Value)> _figures = [];
    private readonly List<(string Key, string Value)> _configuration = [];
    private readonly List<(string Title, string[] Header, string[][] Rows)> _tables = [];

    public LiveRun(string scenario, string[] args)
    {
        Scenario = scenario;
        _args = args;
        _loadAtStart = ReadLoadAverage();
        InstallHandlers();
    }

    public string Scenario { get; }

    /// <summary>Cancelled by Ctrl-C (or SIGTERM): stop measuring, clean up, exit.</summary>
    public static CancellationToken Cancelled => Stopping.Token;

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public int Int(string name, int fallback) => Option(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public string Text(string name, string fallback) => Option(name) ?? fallback;

    public void Configure(string key, object value) => _configuration.Add((key, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));

    public void Figure(string figure, string value)
    {
        _figures.Add((figure, value));
        Console.WriteLine($"  {figure}: {value}");
    }

    /// <summary>A table of its own (e.g. one column per checkpoint), printed after the figures.</summary>
    public void Table(string title, string[] header, IEnumerable<string[]> rows) => _tables.Add((title, header, [.. rows]));

    /// <summary>A markdown table: the header, its separator (first column left, the others right-aligned), the rows.</summary>
    public static IEnumerable<string> Markdown(string[] header, IEnumerable<string[]> rows)
    {
        yield return $"| {string.Join(" | ", header)} |";
        yield return $"|---|{string.Concat(Enumerable.Repeat("---:|", header.Length - 1))}";
        foreach (var row in rows)
        {
            yield return $"| {string.Join(" | ", row)} |";
        }
    }

    /// <summary>A child process (server, silo) to kill if the bench itself exits without stopping it.</summary>
    public static void Track(Process process) => Children[process.Id] = process;

    public static void Untrack(Process process) => Children.TryRemove(process.Id, out _);

    /// <summary>Runs the scenario, then prints the configuration and the figures as one markdown table each.</summary>
    public int Execute(Func<LiveRun, Task> scenario)
    {
        Console.WriteLine($"{Scenario}: started {Now():yyyy-MM-dd HH:mm:ss} UTC");
        var failed = false;
        try
        {
            scenario(this).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (Stopping.IsCancellationRequested)
        {
            Console.Error.WriteLine($"{Scenario}: interrupted; what was started has been stopped.");
            failed = true;
        }
        catch (Exception error)
        {
            Console.Error.WriteLine($"{Scenario}: failed: {error}");
            failed = true;
        }
        finally
        {
            KillChildren();
        }

        Print();
        return failed ? 1 : 0;
    }

    public static DateTimeOffset Now() => TimeProvider.System.GetUtcNow();

    /// <summary>p50/p99/max of milliseconds, as "p50 / p99 / max ms (n)".</summary>
    public static string Percentiles(IReadOnlyCollection<double> values)
        => values.Count == 0
            ? "no samples"
            : Invariant($"{Percentile(values, 50):0.0} / {Percentile(values, 99):0.0} / {values.Max():0.0} ms (n = {values.Count:N0})");

    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private void Print()
    {
        Console.WriteLine();
        Console.WriteLine($"## {Scenario}");
        Console.WriteLine();
        Console.WriteLine("| configuration | |");
        Console.WriteLine("|---|---|");
        foreach (var (key, value) in Machine().Append(("load average 1/5/15 min, start → end (other work on the machine)", $"{_loadAtStart} → {ReadLoadAverage()}")).Concat(_configuration))
        {
            Console.WriteLine($"| {key} | {value} |");
        }

        Console.WriteLine();
        Console.WriteLine("| figure | value |");
        Console.WriteLine("|---|---:|");
        foreach (var (figure, value) in _figures)
        {
            Console.WriteLine($"| {figure} | {value} |");
        }

        foreach (var (title, header, rows) in _tables)
        {
            Console.WriteLine();
            Console.WriteLine($"### {title}");
            Console.WriteLine();
            foreach (var line in Markdown(header, rows))
            {
                Console.WriteLine(line);
            }
        }
    }

    private static IEnumerable<(string, string)> Machine()
    {
        yield return ("date (UTC)", Now().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        yield return ("cores (nproc)", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture));
        yield return ("memory (MemTotal)", ReadMemTotal());
        yield return ("cpu", ReadCpuModel());
        yield return ("os / runtime", $"{RuntimeInformation.OSDescription} / .NET {Environment.Version}");
#if DEBUG
        yield return ("build", "Debug (figures are not comparable with Release)");
#else
        yield return ("build", "Release");
#endif
    }

    private static string ReadMemTotal()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        return line is null ? "unknown" : Invariant($"{long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024.0:0.0} GiB");
    }

    private static string ReadLoadAverage()
        => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string ReadCpuModel()
        => File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : "unknown";

    private string? Option(string name)
    {
        var index = Array.IndexOf(_args, name);
        return index >= 0 && index + 1 < _args.Length ? _args[index + 1] : null;
    }

    private static void InstallHandlers()
    {
        if (Interlocked.Exchange(ref _handlersInstalled, 1) == 1)
        {
            return;
        }

        // First Ctrl-C: cancel and let the scenario clean up. A second one: kill the children and exit.
        Console.CancelKeyPress += (_, e) =>
        {
            if (!Stopping.IsCancellationRequested)
            {
                e.Cancel = true;
                Console.Error.WriteLine("Stopping: cleaning up (Ctrl-C again to kill at once)...");
                Stopping.Cancel();
            }
            else
            {
                KillChildren();
            }
        };
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            Stopping.Cancel();
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillChildren();
    }

    private static void KillChildren()
    {
        foreach (var (id, process) in Children)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
            }

            Children.TryRemove(id, out _);
        }
    }
}
