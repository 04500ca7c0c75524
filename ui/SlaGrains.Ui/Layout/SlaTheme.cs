namespace SlaGrains.Ui.Layout;

/// <summary>
/// The palettes of the light and dark themes. MudBlazor's defaults with the colours that carry meaning (success,
/// warning, error, info and the primary links) chosen so text in them reaches WCAG AA contrast (4.5:1) on the
/// theme's background and surface, checked by axe-core in the browser tests in both themes.
/// </summary>
public static class SlaTheme
{
    /// <summary>The one theme instance the layout gives MudBlazor's theme provider.</summary>
    public static MudBlazor.MudTheme Theme { get; } = new()
    {
        PaletteLight = new MudBlazor.PaletteLight
        {
            // Darker than MudBlazor's defaults: #2e7d32 green, #e65100 orange and #c62828 red on white are 5.1, 3.8 and 5.6:1; these are ≥ 4.5.
            Primary = "#4a3cc9",
            Success = "#1b5e20",
            Warning = "#b34000",
            Error = "#b71c1c",
            Info = "#0d5ea8",
            AppbarBackground = "#3f33a8",
            TextSecondary = "rgba(0,0,0,0.66)",
        },
        PaletteDark = new MudBlazor.PaletteDark
        {
            // Light tints on the dark surfaces (#1f1f26 background, #2a2a33 surface).
            Primary = "#a79ff5",
            Success = "#81c784",
            Warning = "#ffb74d",
            Error = "#ff8a80",
            Info = "#90caf9",
            Background = "#1f1f26",
            Surface = "#2a2a33",
            AppbarBackground = "#2a2a33",
            DrawerBackground = "#2a2a33",
            TextPrimary = "rgba(255,255,255,0.92)",
            TextSecondary = "rgba(255,255,255,0.72)",
            PrimaryContrastText = "#1f1f26",
            SuccessContrastText = "#1f1f26",
            WarningContrastText = "#1f1f26",
            ErrorContrastText = "#1f1f26",
            InfoContrastText = "#1f1f26",
        },
    };
}
