using SlaGrains.Application.ReadModels;

namespace SlaGrains.Server.Hosting;

/// <summary>
/// Keeps the monitor history tables bounded: shortly after start and then every six hours, deletes raw check results
/// older than <c>ReadModels:CheckResultRetentionDays</c> (default 90) and rollups older than 400 days.
/// </summary>
internal sealed partial class ReadModelRetention(ReadModelRepair repair, IConfiguration configuration, ILogger<ReadModelRetention> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromHours(6);
    private static readonly TimeSpan FirstAfter = TimeSpan.FromMinutes(1);

    /// <summary>The retention of raw results a configuration gives: 1–3,650 days, 90 when not set.</summary>
    public static Duration CheckResultRetention(IConfiguration configuration)
    {
        var days = configuration.GetValue("ReadModels:CheckResultRetentionDays", Contracts.ReadModels.ReadModelRetention.CheckResults.Days);
        return days is >= 1 and <= 3_650
            ? Duration.FromDays(days)
            : throw new InvalidOperationException($"ReadModels:CheckResultRetentionDays must be 1–3650 days; got {days}.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var keep = CheckResultRetention(configuration);
        try
        {
            await Task.Delay(FirstAfter, stoppingToken);
            using var timer = new PeriodicTimer(Every);
            do
            {
                try
                {
                    var deleted = await repair.PruneAsync(keep, stoppingToken);
                    if (deleted > 0)
                    {
                        LogPruned(deleted, keep.Days);
                    }
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    LogFailed(error);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Read models: {Count} check results (older than {Days} days) and rollups (older than 400 days) deleted")]
    private partial void LogPruned(long count, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Read models: the retention pass failed; it runs again in six hours")]
    private partial void LogFailed(Exception error);
}
