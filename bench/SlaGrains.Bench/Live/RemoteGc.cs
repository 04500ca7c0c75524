using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace SlaGrains.Bench.Live;

/// <summary>
/// The managed heap of another .NET process, after a full blocking GC that this forces: an EventPipe session with the
/// runtime's <c>GCHeapCollect</c> keyword (what <c>dotnet-gcdump</c> does), reading the sizes the runtime reports
/// when that GC ends (generations 0–2, large and pinned object heaps).
/// </summary>
internal static class RemoteGc
{
    /// <summary>Forces two full collections (finalizers run between them) and returns the heap size after the second, in bytes.</summary>
    public static async Task<long> SettledHeapBytesAsync(int pid, CancellationToken cancellationToken)
    {
        await CollectAsync(pid, cancellationToken);
        await Task.Delay(500, cancellationToken);
        return await CollectAsync(pid, cancellationToken);
    }

    private static async Task<long> CollectAsync(int pid, CancellationToken cancellationToken)
    {
        var client = new DiagnosticsClient(pid);
        var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect);
        using var session = client.StartEventPipeSession(
            [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, keywords)], requestRundown: false, circularBufferMB: 64);
        var heap = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var source = new EventPipeEventSource(session.EventStream);
        var fullGc = false;
        source.Clr.GCStart += e => fullGc |= e.Depth == 2;
        source.Clr.GCHeapStats += e =>
        {
            if (fullGc)
            {
                heap.TrySetResult(e.GenerationSize0 + e.GenerationSize1 + e.GenerationSize2 + e.GenerationSize3 + e.GenerationSize4);
            }
        };
        var reading = Task.Run(source.Process, CancellationToken.None);
        try
        {
            return await heap.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        }
        finally
        {
            try
            {
                await session.StopAsync(CancellationToken.None);
            }
            catch (ServerNotAvailableException)
            {
            }

            await reading.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
