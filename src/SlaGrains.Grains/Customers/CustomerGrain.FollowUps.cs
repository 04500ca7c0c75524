using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Reports;

namespace SlaGrains.Grains.Customers;

/// <summary>
/// What follows a month close, outside the close itself so a failure never undoes or blocks it: the month's (and a
/// quarter's) report is archived, and the month-close watch learns the next month to expect. Both are remembered in
/// state and retried at every later wake-up until done.
/// </summary>
public sealed partial class CustomerGrain
{
    /// <summary>Marks the month's report, and the quarter's when the month ends one, for archiving (written with the close).</summary>
    private void ArchiveLater(YearMonth month)
    {
        Customer.ReportsPending.Add(ReportPeriod.Of(month).ToString());
        if (ReportPeriod.QuarterEndingWith(month) is { } quarter)
        {
            Customer.ReportsPending.Add(quarter.ToString());
        }
    }

    /// <summary>Archives pending reports and tells the watch the next month to close; what fails stays pending.</summary>
    private async Task FollowUp()
    {
        var changed = false;
        foreach (var name in Customer.ReportsPending.ToList())
        {
            try
            {
                var result = await GrainFactory.GetGrain<ICustomerReportsGrain>(CustomerId).Archive(ReportPeriod.Parse(name)!);
                if (result.Problem is not null)
                {
                    logger.LogWarning("Customer {Customer}: report {Period} not archived: {Problem}", CustomerId, name, result.Problem);
                }

                Customer.ReportsPending.Remove(name);
                changed = true;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "Customer {Customer}: report {Period} not archived yet", CustomerId, name);
            }
        }

        if (Customer.NextMonthToClose is { } next && Customer.WatchedMonth != next && NextCloseAt() is { } end)
        {
            try
            {
                await GrainFactory.GetGrain<IMonthCloseWatchGrain>(IMonthCloseWatchGrain.Key).Expect(CustomerId, next, end);
                Customer.WatchedMonth = next;
                changed = true;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "Customer {Customer}: the month-close watch was not told of {Month} yet", CustomerId, next);
            }
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }
    }
}
