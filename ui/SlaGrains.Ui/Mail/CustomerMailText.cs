using System.Globalization;
using SlaGrains.Contracts.Channels;

namespace SlaGrains.Ui.Mail;

/// <summary>The words and figures the customer mail templates share (subjects, money, percentages, times, greeting).</summary>
public static class CustomerMailText
{
    /// <summary>The credit notice's subject.</summary>
    public static string Subject(CreditNoticeMailModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return $"SLA credit for {model.Month}: {Money(model.Amount, model.Currency)} ({model.CustomerName})";
    }

    /// <summary>The maintenance announcement's subject.</summary>
    public static string Subject(MaintenanceMailModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return $"Planned maintenance: {model.Component}, {Time(model.Start)} to {Time(model.End)} ({model.CustomerName})";
    }

    /// <summary>The monthly statement's subject.</summary>
    public static string Subject(StatementMailModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return $"SLA statement {model.Month}: {model.CustomerName}, {Percent(model.UptimePercent)} % availability";
    }

    /// <summary>"Hello Ada," or "Hello," without a name.</summary>
    public static string Greeting(string? name) => string.IsNullOrWhiteSpace(name) ? "Hello," : $"Hello {name.Trim()},";

    /// <summary>Money as the product writes it: <c>1,000.00 EUR</c>.</summary>
    public static string Money(decimal amount, string currency) => $"{amount.ToString("N2", CultureInfo.InvariantCulture)} {currency}".TrimEnd();

    /// <summary>An availability with four decimals.</summary>
    public static string Percent(decimal value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>A target or credit percentage without trailing zeros.</summary>
    public static string Short(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>Minutes without trailing zeros.</summary>
    public static string Minutes(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>An instant in UTC (the mail does not know the reader's zone).</summary>
    public static string Time(Instant at) => at.ToString("uuuu-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
