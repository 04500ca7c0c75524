using SlaGrains.Application.ReadModels;

namespace SlaGrains.Server.Hosting;

/// <summary>
/// Once the silo runs, repairs read-model rows that lag their grain's state (a crash between a state write and its
/// row write), in the background: the rows converge without anyone touching the ticket.
/// </summary>
internal sealed partial class ReadModelReconciliation(ReadModelRepair repair, IHostApplicationLifetime lifetime, ILogger<ReadModelReconciliation> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        try
        {
            var repaired = await repair.RepairAsync(stoppingToken);
            if (repaired > 0)
            {
                LogRepaired(repaired);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            LogFailed(error);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Read models: {Count} tickets, escalations and monitors whose rows lagged their state wrote them again")]
    private partial void LogRepaired(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Read models: the start-up repair failed; rows that lag are written at the ticket's next change")]
    private partial void LogFailed(Exception error);
}
