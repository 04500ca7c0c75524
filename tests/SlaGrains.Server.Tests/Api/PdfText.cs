using System.Diagnostics;

namespace SlaGrains.Server.Tests.Api;

/// <summary>
/// A PDF as a reader's tools see it, with Debian's poppler-utils: its text by <c>pdftotext -layout</c> (pages split at
/// form feeds) and its first page drawn by <c>pdftoppm</c>. Without the tools the PDF tests skip with a loud reason,
/// except under <c>CI=true</c>, where that is a failure (.ci/run installs poppler-utils).
/// </summary>
internal static class PdfText
{
    private const string TextTool = "/usr/bin/pdftotext", ImageTool = "/usr/bin/pdftoppm";

    /// <summary>Why PDF text cannot be checked here; null when it can.</summary>
    public static string? Unavailable { get; } = Check();

    /// <summary>The text of every page, as <c>pdftotext -layout</c> lays it out (columns padded with spaces).</summary>
    public static async Task<string> ExtractAsync(byte[] pdf) => string.Join('\f', await PagesAsync(pdf));

    /// <summary>The text of each page (<c>pdftotext</c> ends every page with a form feed).</summary>
    public static async Task<string[]> PagesAsync(byte[] pdf)
    {
        var text = await WithFileAsync(pdf, path => RunAsync(TextTool, ["-layout", "-enc", "UTF-8", path, "-"]));
        return text.TrimEnd('\f').Split('\f');
    }

    /// <summary>Page 1 drawn in grey at 50 dpi by <c>pdftoppm -gray -r 50</c>: its size in pixels and how many pixels are not white.</summary>
    public static async Task<(int Width, int Height, int Inked)> RenderFirstPageAsync(byte[] pdf)
    {
        var root = Path.Combine(Path.GetTempPath(), $"slagrains-page-{Guid.NewGuid():N}");
        try
        {
            await WithFileAsync(pdf, path => RunAsync(ImageTool, ["-gray", "-r", "50", "-f", "1", "-l", "1", "-singlefile", path, root]));
            return Pgm(await File.ReadAllBytesAsync(root + ".pgm"));
        }
        finally
        {
            File.Delete(root + ".pgm");
        }
    }

    /// <summary>Reads a binary PGM (P5, 8 bits): the header's width and height, then one byte per pixel; "inked" is darker than 250.</summary>
    private static (int Width, int Height, int Inked) Pgm(byte[] image)
    {
        var position = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)image[position]) || image[position] == '#')
            {
                if (image[position] == '#')
                {
                    while (image[position] != '\n')
                    {
                        position++;
                    }
                }

                position++;
            }

            var start = position;
            while (!char.IsWhiteSpace((char)image[position]))
            {
                position++;
            }

            return System.Text.Encoding.ASCII.GetString(image, start, position - start);
        }

        Assert.Equal("P5", Token());
        var width = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture);
        var height = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("255", Token());
        var pixels = image.AsSpan(position + 1);
        Assert.Equal(width * height, pixels.Length);
        var inked = 0;
        foreach (var pixel in pixels)
        {
            inked += pixel < 250 ? 1 : 0;
        }

        return (width, height, inked);
    }

    private static async Task<T> WithFileAsync<T>(byte[] pdf, Func<string, Task<T>> use)
    {
        var path = Path.Combine(Path.GetTempPath(), $"slagrains-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            return await use(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<string> RunAsync(string tool, string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0 && errors.Length == 0, $"{Path.GetFileName(tool)} exited {process.ExitCode}: {errors}");
        return await output;
    }

    private static string? Check()
    {
        if (File.Exists(TextTool) && File.Exists(ImageTool))
        {
            return null;
        }

        var reason = $"{TextTool} or {ImageTool} is missing: install Debian's poppler-utils (apt-get install poppler-utils) to check PDF reports.";
        return string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? throw new InvalidOperationException(reason + " CI=true: the PDF tests must run.")
            : reason;
    }
}
