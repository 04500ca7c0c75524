namespace SlaGrains.Bench;

/// <summary>A named group of benchmarks selected by the program's first argument.</summary>
/// <param name="Name">The argument that selects the suite, matched case-insensitively.</param>
/// <param name="Description">One line for the usage text.</param>
/// <param name="Run">Runs the suite with the remaining arguments (BenchmarkDotNet options); returns the exit code.</param>
internal sealed record Suite(string Name, string Description, Func<string[], int> Run);
