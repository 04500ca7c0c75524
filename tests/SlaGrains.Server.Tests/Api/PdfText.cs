using System.Diagnostics;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// Text out of a PDF with Debian's <c>pdftotext</c> (poppler-utils), as a reader's tool would see it. Without it the
/// PDF tests skip with a loud reason, except under <c>CI=true</c>, where that is a failure (.ci/run installs it).
/// </summary>
internal static class PdfText
{
    private const string Tool = "/usr/bin/pdftotext";

    /// <summary>Why PDF text cannot be checked here; null when it can.</summary>
    public static string? Unavailable { get; } = Check();

    public static async Task<string> ExtractAsync(byte[] pdf)
    {
        var path = Path.Combine(Path.GetTempPath(), $"slagrains-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Tool, ["-layout", "-enc", "UTF-8", path, "-"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var text = await process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0 && errors.Length == 0, $"pdftotext exited {process.ExitCode}: {errors}");
            return text;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string? Check()
    {
        if (File.Exists(Tool))
        {
            return null;
        }

        var reason = $"{Tool} is missing: install Debian's poppler-utils (apt-get install poppler-utils) to check PDF reports.";
        return string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? throw new InvalidOperationException(reason + " CI=true: the PDF tests must run.")
            : reason;
    }
}
