using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace SlaGrains.Server.Reports;

/// <summary>
/// The report's fonts: Liberation Sans (regular and bold) from Debian's <c>fonts-liberation</c>, given to PDFsharp by a
/// font resolver. PDFsharp has one resolver per process (<see cref="GlobalFontSettings.FontResolver"/>, which may be set
/// only before the first font is used), so this one is installed once and resolves a family name that carries its
/// folder: two servers in one process (the tests) with different folders never share a face.
/// </summary>
internal sealed class ReportFonts : IFontResolver
{
    /// <summary>The Debian package that installs the fonts.</summary>
    public const string Package = "fonts-liberation";

    /// <summary>Where <see cref="Package"/> puts them; <c>Reports:FontFolder</c> overrides it.</summary>
    public const string DefaultFolder = "/usr/share/fonts/truetype/liberation";

    /// <summary>The setting that names another folder holding <see cref="Regular"/> and <see cref="Bold"/>.</summary>
    public const string FolderSetting = "Reports:FontFolder";

    private const string Regular = "LiberationSans-Regular.ttf", Bold = "LiberationSans-Bold.ttf";
    private const string FamilyPrefix = "SlaGrains Liberation Sans:";

    private static readonly ReportFonts Instance = new();

    // Set once, before any font is used; Lazy makes concurrent first reports wait for the one that sets it.
    private static readonly Lazy<bool> Installed = new(() =>
    {
        GlobalFontSettings.FontResolver = Instance;
        return true;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    // The folders whose missing fonts were logged already: the error is logged once, not on every request.
    private static readonly ConcurrentDictionary<string, bool> Reported = new(StringComparer.Ordinal);

    private ReportFonts()
    {
    }

    /// <summary>The folder the settings name (<see cref="FolderSetting"/>), or <see cref="DefaultFolder"/>.</summary>
    public static string Folder(IConfiguration configuration)
        => configuration[FolderSetting] is { Length: > 0 } folder ? Path.GetFullPath(folder) : DefaultFolder;

    /// <summary>
    /// Null when <paramref name="folder"/> holds both faces; otherwise the sentence that says which file is missing and
    /// which package installs it.
    /// </summary>
    public static string? Missing(string folder)
        => new[] { Regular, Bold }.FirstOrDefault(f => !File.Exists(Path.Combine(folder, f))) is { } missing
            ? $"PDF reports need the Liberation Sans fonts, and {Path.Combine(folder, missing)} is missing. Install Debian's {Package} package (apt-get install {Package}) or set {FolderSetting} to a folder holding {Regular} and {Bold}."
            : null;

    /// <summary>Logs <paramref name="sentence"/> as an error the first time a folder is found without its fonts.</summary>
    public static void ReportOnce(ILogger logger, string folder, string sentence)
    {
        if (Reported.TryAdd(folder, true))
        {
#pragma warning disable CA1848, CA2254 // One line, once per folder: a message template buys nothing here.
            logger.LogError(sentence);
#pragma warning restore CA1848, CA2254
        }
    }

    /// <summary>The family name to give <see cref="PdfSharp.Drawing.XFont"/> for the fonts in <paramref name="folder"/>; installs the resolver on first use.</summary>
    public static string Family(string folder)
    {
        _ = Installed.Value;
        return FamilyPrefix + folder;
    }

    /// <inheritdoc />
    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
        => familyName.StartsWith(FamilyPrefix, StringComparison.Ordinal)
            ? new FontResolverInfo(Path.Combine(familyName[FamilyPrefix.Length..], bold ? Bold : Regular))
            : null;

    /// <inheritdoc />
    public byte[]? GetFont(string faceName) => File.ReadAllBytes(faceName);
}
