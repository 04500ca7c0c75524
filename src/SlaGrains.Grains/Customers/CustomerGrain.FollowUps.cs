using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Reports;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Grains.Webhooks;

namespace SlaGrains.Grains.Customers;

/// <summary>
/// What follows a month close, outside the close itself so a failure never undoes or blocks it: the month's (and a
/// quarter's) report is archived, a credit notice is handed to the customer's webhooks, and the month-close watch
/// learns the next month to expect. Each is remembered in state and retried at every later wake-up until done.
/// </summary>
public sealed partial class CustomerGrain
{
    /// <summary>Marks the month's report, and the quarter's when the month ends one, for archiving (written with the close).</summary>
    private static void ArchiveLater(CustomerState customer, YearMonth month)
    {
        customer.ReportsPending.Add(ReportPeriod.Of(month).ToString());
        if (ReportPeriod.QuarterEndingWith(month) is { } quarter)
        {
            customer.ReportsPending.Add(quarter.ToString());
        }
    }

    /// <summary>
    /// Archives pending reports, hands credit notices to the webhooks and tells the watch the next month to close; what
    /// is done is recorded in one write at the end, what fails stays pending.
    /// </summary>
    private async Task FollowUp()
    {
        var archived = new List<string>();
        var handed = new List<string>();
        YearMonth? watched = null;
        foreach (var name in Customer.ReportsPending.ToList())
        {
            try
            {
                var result = await GrainFactory.GetGrain<ICustomerReportsGrain>(CustomerId).Archive(ReportPeriod.Parse(name)!);
                if (result.Problem is not null)
                {
                    logger.LogWarning("Customer {Customer}: report {Period} not archived: {Problem}", CustomerId, name, result.Problem);
                }

                archived.Add(name);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "Customer {Customer}: report {Period} not archived yet", CustomerId, name);
            }
        }

        foreach (var noticeId in Customer.NoticeWebhooksPending.ToList())
        {
            try
            {
                if (Customer.Notices.Find(n => n.NoticeId == noticeId) is { } notice)
                {
                    await GrainFactory.GetGrain<IWebhookGrain>(CustomerId).Publish(WebhookPayloads.CreditNotice(notice));
                }

                handed.Add(noticeId);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "Customer {Customer}: credit notice {Notice} not handed to webhooks yet", CustomerId, noticeId);
            }
        }

        var told = new List<string>();
        foreach (var key in Customer.AppliedWebhooksPending.ToList())
        {
            try
            {
                if (Customer.Credits.Find(c => c.Key == key) is { Applied: not null } credit)
                {
                    await GrainFactory.GetGrain<IWebhookGrain>(CustomerId).Publish(WebhookPayloads.CreditApplied(CustomerId, credit));
                }

                told.Add(key);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "Customer {Customer}: credit {Credit} applied not handed to webhooks yet", CustomerId, key);
            }
        }

        if (Customer.NextMonthToClose is { } next && Customer.WatchedMonth != next && NextCloseAt() is { } end)
        {
            try
            {
                await GrainFactory.GetGrain<IMonthCloseWatchGrain>(IMonthCloseWatchGrain.Key).Expect(CustomerId, next, end);
                watched = next;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "Customer {Customer}: the month-close watch was not told of {Month} yet", CustomerId, next);
            }
        }

        if (archived.Count > 0 || handed.Count > 0 || told.Count > 0 || watched is not null)
        {
            await Commit(c =>
            {
                c.ReportsPending.RemoveAll(archived.Contains);
                c.NoticeWebhooksPending.RemoveAll(handed.Contains);
                c.AppliedWebhooksPending.RemoveAll(told.Contains);
                c.WatchedMonth = watched ?? c.WatchedMonth;
            });
        }

        // After the archive above: the statement mailed is the archived report.
        await MailContacts();
    }
}
